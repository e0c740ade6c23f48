//! Checks a request's SigV4 signature the way AWS does: recompute it from the
//! signed headers, the body and the `x-amz-date`, with the secret key the
//! fake was given, and compare. A wrong key, a tampered body or a stale clock
//! fails, so the SDK's signing is tested for real.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use axum::http::request::Parts;

/// Headers the signer adds itself: they are not passed back in.
const ADDED_BY_SIGNER: &[&str] = &[
    "host",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "authorization",
];

/// `Ok(())` when `parts` + `body` carry a valid signature for `secret`.
pub(super) fn verify(parts: &Parts, body: &[u8], secret: &str) -> Result<(), String> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let authorization = header("authorization").ok_or("Missing Authentication Token")?;
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization header requires an AWS4-HMAC-SHA256 signature")?;
    let field = |name: &str| {
        rest.split(", ")
            .find_map(|part| part.strip_prefix(name).and_then(|p| p.strip_prefix('=')))
    };
    let credential = field("Credential").ok_or("Authorization header requires 'Credential'")?;
    let signed_headers =
        field("SignedHeaders").ok_or("Authorization header requires 'SignedHeaders'")?;
    // Credential = AKID/20231114/us-east-1/bedrock/aws4_request
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, _date, region, service, "aws4_request"] = scope.as_slice() else {
        return Err(format!("malformed credential scope `{credential}`"));
    };
    let time = parse_amz_date(header("x-amz-date").ok_or("missing x-amz-date")?)?;
    let skew = SystemTime::now()
        .duration_since(time)
        .unwrap_or_else(|e| e.duration());
    if skew > Duration::from_secs(300) {
        return Err(String::from("Signature expired"));
    }
    let host = header("host").ok_or("missing host")?;
    let url = format!(
        "http://{host}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let passed: Vec<(&str, &str)> = signed_headers
        .split(';')
        .filter(|h| !ADDED_BY_SIGNER.contains(h))
        .filter_map(|h| header(h).map(|v| (h, v)))
        .collect();
    let identity = Credentials::new(
        access_key.to_string(),
        secret.to_string(),
        header("x-amz-security-token").map(str::to_string),
        None,
        "fake-bedrock",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        parts.method.as_str(),
        url,
        passed.into_iter(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let expected = instructions
        .headers()
        .find(|(name, _)| *name == "authorization")
        .map(|(_, value)| value.to_string())
        .ok_or("the signer produced no authorization header")?;
    if expected == authorization {
        Ok(())
    } else {
        Err(String::from(
            "The request signature we calculated does not match the signature you provided.",
        ))
    }
}

/// `20231114T221320Z` -> the instant.
fn parse_amz_date(s: &str) -> Result<SystemTime, String> {
    let bad = || format!("malformed x-amz-date `{s}`");
    let digits = |range: std::ops::Range<usize>| {
        s.get(range)
            .and_then(|d| d.parse::<i64>().ok())
            .ok_or_else(bad)
    };
    if s.len() != 16 || s.as_bytes()[8] != b'T' || !s.ends_with('Z') {
        return Err(bad());
    }
    let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (hour, minute, second) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    // Days from the civil date (proleptic Gregorian), Howard Hinnant's method.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second;
    let secs = u64::try_from(secs).map_err(|_| bad())?;
    Ok(UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amz_dates_parse() {
        let t = parse_amz_date("20231114T221320Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_700_000_000
        );
        assert!(parse_amz_date("2023-11-14").is_err());
    }
}
