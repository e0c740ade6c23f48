//! `/user/new|info|update|delete|list` and
//! `/team/new|info|update|delete|list|member_add|member_delete`. A change to
//! a user or team drops the key cache, since their limits bound every key
//! that belongs to them.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use llmrelay_control::{TeamRequest, UserRequest};
use serde_json::{json, Value};

use super::{answer, body_of, parse, query, readable_id, required, string_list, Admin};
use crate::api_error::ApiError;
use crate::server::Gateway;

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `POST /user/new`.
pub async fn user_new(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Body) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let req: UserRequest = parse(body_of(&gw, &headers, body).await?, "/user/new")?;
            Ok(to_json(&admin.control.store.new_user(req).await?))
        }
        .await,
    )
}

/// `GET /user/info?user_id=`: any user for an admin, a key's own user without `user_id`.
pub async fn user_info(State(gw): State<Arc<Gateway>>, headers: HeaderMap, uri: Uri) -> Response {
    answer(
        async {
            let admin = Admin::new(&gw, &headers).await?;
            let asked = query(&uri).get("user_id").cloned();
            let own = admin.caller.key().and_then(|k| k.key.user_id.clone());
            let user_id = readable_id(&admin.caller, asked, own, "user_id")?;
            let user = admin.control.store.user_info(&user_id).await?;
            Ok(json!({"user_id": user_id, "user_info": to_json(&user)}))
        }
        .await,
    )
}

/// `POST /user/update`: `{"user_id": ..., <fields>}`.
pub async fn user_update(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let user_id = required(&body, "user_id")?;
            let req: UserRequest = parse(body, "/user/update")?;
            let user = admin.control.store.update_user(&user_id, req).await?;
            admin.control.keys.invalidate_all();
            Ok(to_json(&user))
        }
        .await,
    )
}

/// `POST /user/delete`: `{"user_ids": [...]}`.
pub async fn user_delete(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let ids = string_list(&body_of(&gw, &headers, body).await?, "user_ids")?;
            for id in &ids {
                admin.control.store.delete_user(id).await?;
            }
            admin.control.keys.invalidate_all();
            Ok(json!({"deleted_users": ids}))
        }
        .await,
    )
}

/// `GET /user/list`.
pub async fn user_list(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let users = admin.control.store.list_users().await?;
            Ok(json!({"users": to_json(&users), "total": users.len()}))
        }
        .await,
    )
}

/// `POST /team/new`.
pub async fn team_new(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Body) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let req: TeamRequest = parse(body_of(&gw, &headers, body).await?, "/team/new")?;
            Ok(to_json(&admin.control.store.new_team(req).await?))
        }
        .await,
    )
}

/// `GET /team/info?team_id=`: any team for an admin, a key's own team.
pub async fn team_info(State(gw): State<Arc<Gateway>>, headers: HeaderMap, uri: Uri) -> Response {
    answer(
        async {
            let admin = Admin::new(&gw, &headers).await?;
            let asked = query(&uri).get("team_id").cloned();
            let own = admin.caller.key().and_then(|k| k.key.team_id.clone());
            let team_id = readable_id(&admin.caller, asked, own, "team_id")?;
            let team = admin.control.store.team_info(&team_id).await?;
            Ok(json!({"team_id": team_id, "team_info": to_json(&team)}))
        }
        .await,
    )
}

/// `POST /team/update`: `{"team_id": ..., <fields>}`.
pub async fn team_update(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let team_id = required(&body, "team_id")?;
            let req: TeamRequest = parse(body, "/team/update")?;
            let team = admin.control.store.update_team(&team_id, req).await?;
            admin.control.keys.invalidate_all();
            Ok(to_json(&team))
        }
        .await,
    )
}

/// `POST /team/delete`: `{"team_ids": [...]}`.
pub async fn team_delete(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let ids = string_list(&body_of(&gw, &headers, body).await?, "team_ids")?;
            for id in &ids {
                admin.control.store.delete_team(id).await?;
            }
            admin.control.keys.invalidate_all();
            Ok(json!({"deleted_teams": ids}))
        }
        .await,
    )
}

/// `GET /team/list`.
pub async fn team_list(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            Ok(to_json(&admin.control.store.list_teams().await?))
        }
        .await,
    )
}

/// `POST /team/member_add`: `{"team_id", "member": {"user_id"} | [{"user_id"}, ...]}`.
pub async fn team_member_add(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let team_id = required(&body, "team_id")?;
            let members: Vec<&Value> = match body.get("member") {
                Some(Value::Array(list)) => list.iter().collect(),
                Some(one @ Value::Object(_)) => vec![one],
                _ => {
                    return Err(ApiError::bad_request(
                        "`member` is required: {\"user_id\": ...} or a list of them",
                    )
                    .with_param("member"))
                }
            };
            let mut team = None;
            for member in members {
                let Some(user_id) = member.get("user_id").and_then(Value::as_str) else {
                    return Err(
                        ApiError::bad_request("each member needs a `user_id`").with_param("member")
                    );
                };
                team = Some(
                    admin
                        .control
                        .store
                        .team_member_add(&team_id, user_id)
                        .await?,
                );
            }
            admin.control.keys.invalidate_all();
            Ok(to_json(&team))
        }
        .await,
    )
}

/// `POST /team/member_delete`: `{"team_id", "user_id"}`.
pub async fn team_member_delete(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let team_id = required(&body, "team_id")?;
            let user_id = required(&body, "user_id")?;
            let team = admin
                .control
                .store
                .team_member_delete(&team_id, &user_id)
                .await?;
            admin.control.keys.invalidate_all();
            Ok(to_json(&team))
        }
        .await,
    )
}
