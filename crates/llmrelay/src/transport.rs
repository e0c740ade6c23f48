//! The one place with sockets, timeouts and retries.
//!
//! The HTTP client (connection pool, TLS, DNS) is built on the first request
//! and shared by every call of the [`Client`](crate::Client) that owns it, so
//! `Client::new()` costs nothing. A call is retried on connection errors,
//! timeouts, 408, 409, 429 and 5xx, with exponential backoff and jitter,
//! honouring `Retry-After` and `retry-after-ms`; never on other 4xx.

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::error::{Error, ErrorKind};
use crate::providers::{HttpRequest, Method};

/// What the transport needs to know about the upstream to report a failure:
/// the provider's reading of an error answer, and errors about the upstream
/// (timeouts, refused connections) named and redacted as the caller expects.
pub(crate) trait ErrorMapper: Sync {
    /// A non-2xx answer: its status and (the start of) its body.
    fn map_status(&self, status: u16, body: &[u8]) -> Error;
    /// An error of `kind` about this upstream, redacted of the call's secrets.
    fn error(&self, kind: ErrorKind, message: String) -> Error;
    /// The provider's name and base URL, for messages.
    fn endpoint(&self) -> (&str, &str);
}

/// The longest wait a `Retry-After` header can impose; a provider asking for
/// more is treated as asking for this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Longest backoff between two attempts when the provider gives no delay.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Error bodies are read up to this size; the rest is not needed for a message.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// How a call is sent: its timeouts and retry budget.
#[derive(Debug, Clone)]
pub(crate) struct SendPolicy {
    /// Whole call, connect to last byte (non-streamed), or to response headers (streamed).
    pub timeout: Duration,
    pub num_retries: u32,
    pub initial_backoff: Duration,
}

/// The lazily built, shared HTTP client.
#[derive(Debug, Default)]
pub(crate) struct Transport {
    client: OnceLock<Result<reqwest::Client, String>>,
    connect_timeout: Option<Duration>,
}

impl Transport {
    pub(crate) fn new(connect_timeout: Option<Duration>) -> Self {
        Transport {
            client: OnceLock::new(),
            connect_timeout,
        }
    }

    fn client(&self) -> Result<&reqwest::Client, Error> {
        let built = self.client.get_or_init(|| {
            reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .pool_idle_timeout(Duration::from_secs(90))
                .tcp_nodelay(true)
                .build()
                .map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| {
            Error::new(
                ErrorKind::ApiConnection,
                format!("cannot build the HTTP client: {e}"),
            )
        })
    }

    /// Sends `request` until it gets a 2xx answer or the retry budget is spent.
    /// `upstream` turns a non-2xx status and body into the provider's error.
    pub(crate) async fn send(
        &self,
        request: &HttpRequest,
        policy: &SendPolicy,
        streaming: bool,
        upstream: &dyn ErrorMapper,
    ) -> Result<reqwest::Response, Error> {
        let client = self.client()?;
        let mut attempt = 0;
        loop {
            let result = self
                .attempt(client, request, policy, streaming, upstream)
                .await;
            let err = match result {
                Ok(response) => return Ok(response),
                Err(err) => err,
            };
            if attempt >= policy.num_retries || !err.is_retryable() {
                return Err(err);
            }
            let delay = err
                .retry_after
                .map(|d| d.min(MAX_RETRY_AFTER))
                .unwrap_or_else(|| backoff(policy.initial_backoff, attempt));
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        client: &reqwest::Client,
        request: &HttpRequest,
        policy: &SendPolicy,
        streaming: bool,
        upstream: &dyn ErrorMapper,
    ) -> Result<reqwest::Response, Error> {
        let mut builder = match request.method {
            Method::Post => client.post(&request.url).body(request.body.clone()),
            Method::Get => client.get(&request.url),
        };
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !streaming {
            // Covers the body too; a stream's body is governed by the idle timeout instead.
            builder = builder.timeout(policy.timeout);
        }
        let sent = tokio::time::timeout(policy.timeout, builder.send()).await;
        let response = match sent {
            Err(_) => return Err(timeout_error(upstream, policy.timeout)),
            Ok(Err(e)) => return Err(connection_error(upstream, e, policy.timeout)),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let retry_after = retry_after(response.headers());
        // An error body cut short still has a status worth reporting.
        let body = read_capped(response, MAX_ERROR_BODY)
            .await
            .unwrap_or_default();
        let mut err = upstream.map_status(status, &body);
        // A header wins; some providers (Gemini's `RetryInfo`) put the delay in the body.
        err.retry_after = retry_after.or(err.retry_after);
        Err(err)
    }
}

/// Reads a response body, at most `cap` bytes of it. A connection that
/// breaks mid-body is an error, not a shorter body.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= cap {
            break;
        }
    }
    Ok(body)
}

fn timeout_error(upstream: &dyn ErrorMapper, timeout: Duration) -> Error {
    let (name, _) = upstream.endpoint();
    let message = format!(
        "no answer from `{name}` within {:.1}s",
        timeout.as_secs_f64()
    );
    upstream.error(ErrorKind::Timeout, message)
}

fn connection_error(upstream: &dyn ErrorMapper, e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        return timeout_error(upstream, timeout).with_source(e);
    }
    // reqwest's Display names the URL, never headers, so the key cannot leak;
    // the URL itself carries no secret (keys travel in headers).
    let (name, base) = upstream.endpoint();
    let mut message = format!("cannot reach `{name}` at {base}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    upstream
        .error(ErrorKind::ApiConnection, message)
        .with_source(e)
}

/// `retry-after-ms` (OpenAI) or `Retry-After` in seconds.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Some(Duration::from_secs_f64(
            (ms / 1000.0).clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    header("retry-after")
        .and_then(|v| v.parse::<f64>().ok())
        .map(|s| Duration::from_secs_f64(s.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64())))
}

/// `initial * 2^attempt`, capped, times a jitter factor in [0.75, 1.0).
fn backoff(initial: Duration, attempt: u32) -> Duration {
    let exp = initial
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_BACKOFF);
    exp.mul_f64(0.75 + 0.25 * jitter())
}

/// A cheap, good-enough random fraction in [0, 1) for spreading retries.
fn jitter() -> f64 {
    use std::cell::Cell;
    use std::time::{SystemTime, UNIX_EPOCH};
    thread_local! {
        static STATE: Cell<u64> = Cell::new(
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64) | 1,
        );
    }
    STATE.with(|state| {
        // xorshift64*
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let initial = Duration::from_millis(100);
        let first = backoff(initial, 0);
        assert!(first >= Duration::from_millis(75) && first < Duration::from_millis(100));
        let third = backoff(initial, 2);
        assert!(third >= Duration::from_millis(300) && third < Duration::from_millis(400));
        assert!(backoff(initial, 30) <= MAX_BACKOFF);
    }

    #[test]
    fn retry_after_prefers_milliseconds_and_is_capped() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            "2".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            "retry-after-ms",
            "150".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(150)));
        let mut huge = HeaderMap::new();
        huge.insert(
            "retry-after",
            "86400".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(retry_after(&huge), Some(MAX_RETRY_AFTER));
        let mut junk = HeaderMap::new();
        junk.insert(
            "retry-after",
            "soon".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(retry_after(&junk), None);
    }
}
