//! The /key, /user and /team operations and their validation errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use llmrelay_control::{
    hash_key, CachePolicy, ControlError, GenerateKey, KeyAuthorizer, Limits, LimitsUpdate,
    TeamRequest, UpdateKey, UserRequest, ValidationError,
};
use support::*;

fn validation(e: ControlError) -> ValidationError {
    match e {
        ControlError::Validation(v) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn key_lifecycle_stores_only_the_hash() {
    let dir = TempDir::new();
    let store = sqlite(&dir, system_clock()).await;
    let auth = KeyAuthorizer::new(
        store.clone(),
        CachePolicy {
            fresh_for_ms: 0,
            usable_for_ms: 0,
        },
    );
    let key = store
        .generate_key(GenerateKey {
            key_alias: Some("app".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        key.key.starts_with("sk-") && key.key.len() == 51,
        "{}",
        key.key
    );
    assert_eq!(key.record.token, hash_key(&key.key));
    assert_eq!(key.record.key_name, format!("sk-...{}", &key.key[47..]));
    // The plain key is nowhere in the database files (WAL included).
    let mut db = std::fs::read(dir.file("control.db")).unwrap();
    db.extend(std::fs::read(dir.file("control.db-wal")).unwrap_or_default());
    assert!(db
        .windows(key.record.token.len())
        .any(|w| w == key.record.token.as_bytes()));
    assert!(!db.windows(key.key.len()).any(|w| w == key.key.as_bytes()));

    let listed = store.list_keys(None, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key_alias.as_deref(), Some("app"));

    let fresh = store.regenerate_key(&key.record.token).await.unwrap();
    assert_ne!(fresh.key, key.key);
    assert!(auth.authorize(&key.key, None).await.is_err());
    assert!(auth.authorize(&fresh.key, None).await.is_ok());

    store.delete_key(&fresh.record.token).await.unwrap();
    assert!(matches!(
        store.delete_key(&fresh.record.token).await,
        Err(ControlError::NotFound { what: "key", .. })
    ));
    assert!(store.list_keys(None, None).await.unwrap().is_empty());
}

#[tokio::test]
async fn invalid_requests_get_typed_errors() {
    let dir = TempDir::new();
    let store = sqlite(&dir, system_clock()).await;
    let bad = |limits: Limits| GenerateKey {
        limits,
        ..Default::default()
    };
    let err = store
        .generate_key(bad(Limits {
            max_budget: Some(-1.0),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(
        validation(err),
        ValidationError::BadBudget {
            field: "max_budget"
        }
    );
    let err = store
        .generate_key(bad(Limits {
            max_budget: Some(f64::NAN),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(
        validation(err),
        ValidationError::BadBudget {
            field: "max_budget"
        }
    );
    let err = store
        .generate_key(bad(Limits {
            max_budget: Some(1.0),
            soft_budget: Some(2.0),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(validation(err), ValidationError::SoftAboveMax);
    let err = store
        .generate_key(bad(Limits {
            rpm_limit: Some(-5),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(
        validation(err),
        ValidationError::BadLimit { field: "rpm_limit" }
    );
    let err = store
        .generate_key(bad(Limits {
            budget_duration: Some("soon".into()),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(validation(err), ValidationError::BadDuration("soon".into()));
    let err = store
        .generate_key(GenerateKey {
            team_id: Some("ghost".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        validation(err),
        ValidationError::UnknownReference {
            what: "team",
            id: "ghost".into()
        }
    );
    let err = store
        .generate_key(GenerateKey {
            key: Some("abc".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(validation(err), ValidationError::BadCustomKey);
    store
        .generate_key(GenerateKey {
            key: Some("sk-custom-123".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = store
        .generate_key(GenerateKey {
            key: Some("sk-custom-123".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(
        validation(err),
        ValidationError::AlreadyExists { what: "key", .. }
    ));
    let err = store
        .update_key(
            &hash_key("sk-custom-123"),
            UpdateKey {
                duration: Some("1x".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(validation(err), ValidationError::BadDuration("1x".into()));
    assert!(matches!(
        store.key_info("missing").await,
        Err(ControlError::NotFound { what: "key", .. })
    ));
}

#[tokio::test]
async fn users_and_teams_round_trip() {
    let dir = TempDir::new();
    let store = sqlite(&dir, system_clock()).await;
    let user = store
        .new_user(UserRequest {
            user_id: Some("ada".into()),
            user_email: Some("ada@example.com".into()),
            limits: LimitsUpdate {
                max_budget: Some(20.0),
                rpm_limit: Some(10),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(user.user_role, "internal_user");
    assert_eq!(user.limits.max_budget, Some(20.0));
    let err = store
        .new_user(UserRequest {
            user_id: Some("ada".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(
        validation(err),
        ValidationError::AlreadyExists { what: "user", .. }
    ));
    let user = store
        .update_user(
            "ada",
            UserRequest {
                limits: LimitsUpdate {
                    tpm_limit: Some(1000),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (user.limits.rpm_limit, user.limits.tpm_limit),
        (Some(10), Some(1000))
    );

    let team = store
        .new_team(TeamRequest {
            team_alias: Some("eng".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let team = store.team_member_add(&team.team_id, "ada").await.unwrap();
    let team = store.team_member_add(&team.team_id, "ada").await.unwrap();
    assert_eq!(team.members, vec!["ada".to_owned()]);
    let err = store
        .team_member_add(&team.team_id, "nobody")
        .await
        .unwrap_err();
    assert!(matches!(
        validation(err),
        ValidationError::UnknownReference { what: "user", .. }
    ));
    let team = store
        .team_member_delete(&team.team_id, "ada")
        .await
        .unwrap();
    assert!(team.members.is_empty());
    let team = store
        .update_team(
            &team.team_id,
            TeamRequest {
                team_alias: Some("platform".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(team.team_alias.as_deref(), Some("platform"));
    assert_eq!(store.list_teams().await.unwrap().len(), 1);

    let key = store
        .generate_key(GenerateKey {
            user_id: Some("ada".into()),
            team_id: Some(team.team_id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    store.delete_team(&team.team_id).await.unwrap();
    assert_eq!(
        store.key_info(&key.record.token).await.unwrap().team_id,
        None
    );
    store.delete_user("ada").await.unwrap();
    assert!(store.list_users().await.unwrap().is_empty());
    assert!(store.list_keys(None, None).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_member_adds_on_postgres_lose_none() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let store = llmrelay_control::Store::open(&url, system_clock())
        .await
        .unwrap();
    let team = store.new_team(TeamRequest::default()).await.unwrap();
    for i in 0..20 {
        store
            .new_user(UserRequest {
                user_id: Some(format!("u{i}")),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (store, team_id) = (store.clone(), team.team_id.clone());
        tasks.push(tokio::spawn(async move {
            store
                .team_member_add(&team_id, &format!("u{i}"))
                .await
                .map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        store.team_info(&team.team_id).await.unwrap().members.len(),
        20
    );
    store.close().await;
    drop_postgres(&url).await;
}
