//! `GET /spend/logs`: spend rows, newest first. An admin may filter by any
//! key, user, team or request; a key sees only its own rows.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use llmrelay_control::SpendFilter;
use serde_json::json;

use super::{answer, query, token_of, Admin};
use crate::api_error::ApiError;
use crate::server::Gateway;

/// Most rows one call returns unless `limit` says fewer.
const MAX_ROWS: i64 = 1000;

/// `GET /spend/logs?api_key=&user_id=&team_id=&request_id=&start_date=&end_date=&limit=`.
pub async fn spend_logs(State(gw): State<Arc<Gateway>>, headers: HeaderMap, uri: Uri) -> Response {
    answer(
        async {
            let admin = Admin::new(&gw, &headers).await?;
            let q = query(&uri);
            let mut filter = SpendFilter {
                api_key: q.get("api_key").map(|k| token_of(k)),
                user_id: q.get("user_id").cloned(),
                team_id: q.get("team_id").cloned(),
                request_id: q.get("request_id").cloned(),
                start_time: q
                    .get("start_date")
                    .map(|d| date_ms(d, "start_date"))
                    .transpose()?,
                end_time: q
                    .get("end_date")
                    .map(|d| date_ms(d, "end_date"))
                    .transpose()?,
            };
            if !admin.caller.is_admin() {
                let Some(own) = admin.caller.key() else {
                    return Err(ApiError::forbidden("spend logs need a key"));
                };
                if filter.api_key.as_ref().is_some_and(|k| *k != own.key.token)
                    || filter.user_id.is_some()
                    || filter.team_id.is_some()
                {
                    return Err(ApiError::forbidden("a key may read only its own spend"));
                }
                filter.api_key = Some(own.key.token.clone());
            }
            let limit = match q.get("limit") {
                Some(n) => n.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::bad_request("`limit` must be a positive integer").with_param("limit")
                })?,
                None => MAX_ROWS,
            }
            .min(MAX_ROWS);
            let rows = admin.control.store.spend_logs(&filter, limit).await?;
            Ok(serde_json::to_value(&rows).unwrap_or_else(|_| json!([])))
        }
        .await,
    )
}

/// `YYYY-MM-DD` (UTC midnight) or Unix milliseconds, as Unix milliseconds.
fn date_ms(text: &str, field: &str) -> Result<i64, ApiError> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let bad = || {
        ApiError::bad_request(format!("`{field}` must be YYYY-MM-DD or Unix milliseconds"))
            .with_param(field)
    };
    let parts: Vec<&str> = text.get(..10).unwrap_or(text).split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // days_from_civil (proleptic Gregorian, UTC).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_as_utc_midnight() {
        assert_eq!(date_ms("1970-01-01", "d").ok(), Some(0));
        assert_eq!(date_ms("2023-11-14", "d").ok(), Some(1_699_920_000_000));
        assert_eq!(date_ms("2000-03-01", "d").ok(), Some(951_868_800_000));
        assert_eq!(date_ms("1700000000000", "d").ok(), Some(1_700_000_000_000));
        assert!(date_ms("yesterday", "d").is_err());
        assert!(date_ms("2023-13-01", "d").is_err());
    }
}
