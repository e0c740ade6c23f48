//! `/key/generate|info|update|delete|list|regenerate|block|unblock`, with
//! LiteLLM's bodies and answers. The plain key appears once, in the answer
//! to `/key/generate` or `/key/regenerate`; everything else shows its hash.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use llmrelay_control::{GenerateKey, KeyRecord, UpdateKey};
use serde_json::{json, Value};

use super::{answer, body_of, parse, query, readable_id, required, string_list, token_of, Admin};
use crate::api_error::ApiError;
use crate::server::Gateway;

/// `POST /key/generate`.
pub async fn key_generate(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let req: GenerateKey = parse(body_of(&gw, &headers, body).await?, "/key/generate")?;
            let generated = admin.control.store.generate_key(req).await?;
            Ok(with_litellm_names(
                serde_json::to_value(&generated).unwrap_or(Value::Null),
                &generated.record,
            ))
        }
        .await,
    )
}

/// `GET /key/info?key=...`: any key for an admin, a key's own without `key`.
pub async fn key_info(State(gw): State<Arc<Gateway>>, headers: HeaderMap, uri: Uri) -> Response {
    answer(
        async {
            let admin = Admin::new(&gw, &headers).await?;
            let asked = query(&uri).get("key").map(|k| token_of(k));
            let own = admin.caller.key().map(|k| k.key.token.clone());
            let token = readable_id(&admin.caller, asked, own, "key")?;
            let record = admin.control.store.key_info(&token).await?;
            Ok(json!({"key": token, "info": record_json(&record)}))
        }
        .await,
    )
}

/// `POST /key/update`: `{"key": ..., <fields to change>}`.
pub async fn key_update(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let mut body = body_of(&gw, &headers, body).await?;
            let token = token_of(&required(&body, "key")?);
            body.remove("key");
            let req: UpdateKey = parse(body, "/key/update")?;
            let record = admin.control.store.update_key(&token, req).await?;
            admin.control.keys.invalidate(&token);
            Ok(record_json(&record))
        }
        .await,
    )
}

/// `POST /key/delete`: `{"keys": [...]}`.
pub async fn key_delete(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let keys = string_list(&body, "keys")?;
            let mut deleted = Vec::new();
            for key in &keys {
                let token = token_of(key);
                admin.control.store.delete_key(&token).await?;
                admin.control.keys.invalidate(&token);
                deleted.push(key.clone());
            }
            Ok(json!({"deleted_keys": deleted}))
        }
        .await,
    )
}

/// `GET /key/list?user_id=&team_id=&return_full_object=`.
pub async fn key_list(State(gw): State<Arc<Gateway>>, headers: HeaderMap, uri: Uri) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let q = query(&uri);
            let keys = admin
                .control
                .store
                .list_keys(
                    q.get("user_id").map(String::as_str),
                    q.get("team_id").map(String::as_str),
                )
                .await?;
            let full = q.get("return_full_object").is_some_and(|v| v == "true");
            let listed: Vec<Value> = keys
                .iter()
                .map(|k| {
                    if full {
                        record_json(k)
                    } else {
                        Value::String(k.token.clone())
                    }
                })
                .collect();
            Ok(json!({"keys": listed, "total_count": keys.len(), "current_page": 1, "total_pages": 1}))
        }
        .await,
    )
}

/// `POST /key/regenerate`: `{"key": ...}`; the old key stops working.
pub async fn key_regenerate(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            regenerate(&admin, &required(&body, "key")?).await
        }
        .await,
    )
}

/// `POST /key/{key}/regenerate`.
pub async fn key_regenerate_by_path(
    State(gw): State<Arc<Gateway>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            regenerate(&admin, &key).await
        }
        .await,
    )
}

async fn regenerate(admin: &Admin, key: &str) -> Result<Value, ApiError> {
    let token = token_of(key);
    let generated = admin.control.store.regenerate_key(&token).await?;
    admin.control.keys.invalidate(&token);
    Ok(with_litellm_names(
        serde_json::to_value(&generated).unwrap_or(Value::Null),
        &generated.record,
    ))
}

/// `POST /key/block`: `{"key": ...}`.
pub async fn key_block(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Body) -> Response {
    set_blocked(gw, headers, body, true).await
}

/// `POST /key/unblock`: `{"key": ...}`.
pub async fn key_unblock(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    set_blocked(gw, headers, body, false).await
}

async fn set_blocked(gw: Arc<Gateway>, headers: HeaderMap, body: Body, blocked: bool) -> Response {
    answer(
        async {
            let admin = Admin::admin(&gw, &headers).await?;
            let body = body_of(&gw, &headers, body).await?;
            let token = token_of(&required(&body, "key")?);
            let record = admin.control.store.set_key_blocked(&token, blocked).await?;
            admin.control.keys.invalidate(&token);
            Ok(record_json(&record))
        }
        .await,
    )
}

/// A key record with LiteLLM's extra names (`expires` as ISO-8601 text).
fn record_json(record: &KeyRecord) -> Value {
    with_litellm_names(serde_json::to_value(record).unwrap_or(Value::Null), record)
}

fn with_litellm_names(mut value: Value, record: &KeyRecord) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "expires".to_owned(),
            record
                .expires_at
                .map_or(Value::Null, |ms| Value::String(iso8601(ms))),
        );
    }
    value
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (civil-from-days, UTC).
pub(super) fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
