//! Budgets under concurrency, on schedule, and the key checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use llmrelay_control::{
    AuthError, CachePolicy, Clock, GenerateKey, KeyAuthorizer, Limits, LimitsUpdate, Scope, Store,
    TeamRequest, UpdateKey, UserRequest,
};
use support::*;

/// 1,000 concurrent reservations of $1 against a $100 budget: exactly 100 pass.
async fn thousand_against_hundred(store: Store) {
    let key = store
        .generate_key(GenerateKey {
            limits: Limits {
                max_budget: Some(100.0),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let token = key.record.token.clone();
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let store = store.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            match store.reserve(&token, None, None, 1.0).await {
                Ok(r) => {
                    store.settle(r, 1.0).await.unwrap();
                    true
                }
                Err(AuthError::BudgetExceeded {
                    scope: Scope::Key, ..
                }) => false,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 100);
    let info = store.key_info(&token).await.unwrap();
    assert_eq!(info.spend.spend, 100.0);
    assert_eq!(info.spend.reserved, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_overspend_sqlite() {
    let dir = TempDir::new();
    thousand_against_hundred(sqlite(&dir, system_clock()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_overspend_postgres() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let store = Store::open(&url, system_clock()).await.unwrap();
    thousand_against_hundred(store.clone()).await;
    store.close().await;
    drop_postgres(&url).await;
}

#[tokio::test]
async fn team_and_user_budgets_apply_all_or_nothing() {
    let dir = TempDir::new();
    let store = sqlite(&dir, system_clock()).await;
    store
        .new_team(TeamRequest {
            team_id: Some("t".into()),
            limits: LimitsUpdate {
                max_budget: Some(5.0),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    store
        .new_user(UserRequest {
            user_id: Some("u".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let key = store
        .generate_key(GenerateKey {
            team_id: Some("t".into()),
            user_id: Some("u".into()),
            limits: Limits {
                max_budget: Some(50.0),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let token = &key.record.token;
    let held = store
        .reserve(token, Some("t"), Some("u"), 4.0)
        .await
        .unwrap();
    let refused = store.reserve(token, Some("t"), Some("u"), 2.0).await;
    assert!(
        matches!(
            refused,
            Err(AuthError::BudgetExceeded {
                scope: Scope::Team,
                ..
            })
        ),
        "{refused:?}"
    );
    // The refused request took nothing from the key's own budget.
    assert_eq!(store.key_info(token).await.unwrap().spend.reserved, 4.0);
    store.settle(held, 3.0).await.unwrap();
    assert_eq!(store.team_info("t").await.unwrap().spend.spend, 3.0);
    assert_eq!(store.user_info("u").await.unwrap().spend.spend, 3.0);
    assert_eq!(store.key_info(token).await.unwrap().spend.reserved, 0.0);
}

#[tokio::test]
async fn budget_resets_on_schedule() {
    let dir = TempDir::new();
    let clock = manual_clock(1_700_000_000_000);
    let store = sqlite(&dir, clock.clone() as Arc<dyn Clock>).await;
    let key = store
        .generate_key(GenerateKey {
            limits: Limits {
                max_budget: Some(10.0),
                budget_duration: Some("1h".into()),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let token = &key.record.token;
    assert_eq!(
        key.record.spend.budget_reset_at,
        Some(1_700_000_000_000 + 3_600_000)
    );
    let r = store.reserve(token, None, None, 10.0).await.unwrap();
    store.settle(r, 10.0).await.unwrap();
    assert!(matches!(
        store.reserve(token, None, None, 1.0).await,
        Err(AuthError::BudgetExceeded { .. })
    ));
    clock.advance_ms(3_599_999);
    assert!(matches!(
        store.reserve(token, None, None, 1.0).await,
        Err(AuthError::BudgetExceeded { .. })
    ));
    clock.advance_ms(1);
    // The sweep resets it; the next reset is one period on.
    assert_eq!(store.reset_due_budgets().await.unwrap(), 1);
    let info = store.key_info(token).await.unwrap();
    assert_eq!(info.spend.spend, 0.0);
    assert_eq!(
        info.spend.budget_reset_at,
        Some(1_700_000_000_000 + 2 * 3_600_000)
    );
    let r = store.reserve(token, None, None, 10.0).await.unwrap();
    store.settle(r, 10.0).await.unwrap();
    // Lazily too: reserve resets a budget whose time has come.
    clock.advance_ms(3_600_000);
    assert!(store.reserve(token, None, None, 10.0).await.is_ok());
}

#[tokio::test]
async fn expired_blocked_and_wrong_model_keys_are_refused() {
    let dir = TempDir::new();
    let clock = manual_clock(1_700_000_000_000);
    let store = sqlite(&dir, clock.clone() as Arc<dyn Clock>).await;
    let auth = KeyAuthorizer::new(
        store.clone(),
        CachePolicy {
            fresh_for_ms: 0,
            usable_for_ms: 0,
        },
    );
    let key = store
        .generate_key(GenerateKey {
            duration: Some("1d".into()),
            limits: Limits {
                models: vec!["gpt-4o".into()],
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    assert!(auth.authorize(&key.key, Some("gpt-4o")).await.is_ok());
    assert_eq!(
        auth.authorize(&key.key, Some("claude-3")).await,
        Err(AuthError::ModelNotAllowed("claude-3".into()))
    );
    assert_eq!(
        auth.authorize("sk-nope-not-a-key", None).await,
        Err(AuthError::InvalidKey)
    );

    store
        .set_key_blocked(&key.record.token, true)
        .await
        .unwrap();
    assert_eq!(
        auth.authorize(&key.key, None).await,
        Err(AuthError::Blocked("key"))
    );
    store
        .set_key_blocked(&key.record.token, false)
        .await
        .unwrap();
    assert!(auth.authorize(&key.key, None).await.is_ok());

    clock.advance_ms(86_400_000);
    assert_eq!(
        auth.authorize(&key.key, None).await,
        Err(AuthError::Expired)
    );
    assert_eq!(AuthError::Expired.http_status(), 401);

    // Over budget: the reservation is refused with the numbers.
    let limited = store
        .update_key(
            &key.record.token,
            UpdateKey {
                duration: Some("1d".into()),
                limits: LimitsUpdate {
                    max_budget: Some(0.5),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(limited.limits.max_budget, Some(0.5));
    let err = store
        .reserve(&limited.token, None, None, 1.0)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), 429);
    assert!(
        matches!(err, AuthError::BudgetExceeded { max_budget, request, .. } if max_budget == 0.5 && request == 1.0)
    );
}

/// A hold whose request never settles (its instance was killed) is given
/// back once it expires; if the request settles after all, its cost counts
/// and its hold is not given back twice.
async fn expired_holds_are_released_once(store: Store, clock: Arc<llmrelay_control::ManualClock>) {
    let store = store.with_hold_ttl_ms(60_000);
    let key = store
        .generate_key(GenerateKey {
            limits: Limits {
                max_budget: Some(1.0),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let token = key.record.token.clone();
    let lost = store.reserve(&token, None, None, 0.6).await.unwrap();
    assert!(store.reserve(&token, None, None, 0.6).await.is_err());
    assert_eq!(
        store.release_expired_holds().await.unwrap(),
        0,
        "not expired yet"
    );
    clock.advance_ms(60_001);
    assert_eq!(store.release_expired_holds().await.unwrap(), 1);
    assert_eq!(store.key_info(&token).await.unwrap().spend.reserved, 0.0);
    let fits = store.reserve(&token, None, None, 0.6).await.unwrap();
    store.settle(lost, 0.1).await.unwrap();
    let info = store.key_info(&token).await.unwrap();
    assert!((info.spend.reserved - 0.6).abs() < 1e-9, "{:?}", info.spend);
    assert!((info.spend.spend - 0.1).abs() < 1e-9, "{:?}", info.spend);
    store.settle(fits, 0.2).await.unwrap();
    let info = store.key_info(&token).await.unwrap();
    assert!(info.spend.reserved.abs() < 1e-9 && (info.spend.spend - 0.3).abs() < 1e-9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_holds_are_released_once_sqlite() {
    let dir = TempDir::new();
    let clock = manual_clock(1_700_000_000_000);
    let store = sqlite(&dir, clock.clone() as Arc<dyn Clock>).await;
    expired_holds_are_released_once(store, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_holds_are_released_once_postgres() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let clock = manual_clock(1_700_000_000_000);
    let store = Store::open(&url, clock.clone() as Arc<dyn Clock>)
        .await
        .unwrap();
    expired_holds_are_released_once(store.clone(), clock).await;
    store.close().await;
    drop_postgres(&url).await;
}
