//! A small Prometheus registry: counters, one latency histogram and gauges,
//! rendered in the text exposition format at `/metrics`. Hand-written
//! because the gateway needs a handful of series per instance (several
//! instances live in one test process) and the exporter crates bring a
//! global recorder and a dozen dependencies for it.
//!
//! Labels hold route names, model groups, error kinds and statuses: never a
//! key, a user name or any other request content.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::control_plane::{limiter_state, ControlHealth};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0,
];

type Labels = Vec<(&'static str, String)>;

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Series {
    counters: BTreeMap<(&'static str, Labels), f64>,
    histograms: BTreeMap<(&'static str, Labels), Histogram>,
}

/// What one finished request adds to the metrics.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    /// `chat_completions`, `messages`, `responses`...
    pub route: &'static str,
    /// The model group asked for (only names the gateway serves).
    pub model: &'a str,
    /// The HTTP status answered.
    pub status: u16,
    /// Time from request to last byte (or to the headers, for a failure).
    pub latency: Duration,
    /// Prompt and completion tokens, when known.
    pub tokens: Option<(u64, u64)>,
    /// Dollars, when priced.
    pub spend: Option<f64>,
    /// LiteLLM's exception name of an upstream failure.
    pub upstream_error: Option<&'static str>,
}

/// The gateway's metrics.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<Series>,
    in_flight: AtomicI64,
    /// The control plane's dependencies as last seen: None without one.
    dependencies: Mutex<Option<ControlHealth>>,
}

impl Metrics {
    /// A request started; the guard ends it when dropped (a stream cut by
    /// its client included).
    pub fn start(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(self))
    }

    /// Requests being served now.
    pub fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Notes the state of the key database and the rate limiter's Redis.
    pub fn set_dependencies(&self, health: ControlHealth) {
        *self
            .dependencies
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(health);
    }

    /// Records one finished request.
    pub fn observe(&self, o: &Observation<'_>) {
        let mut s = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        let route_model = vec![
            ("route", o.route.to_string()),
            ("model", o.model.to_string()),
        ];
        let mut with_status = route_model.clone();
        with_status.push(("status", o.status.to_string()));
        *s.counters
            .entry(("llmrelay_requests_total", with_status))
            .or_default() += 1.0;
        let h = s
            .histograms
            .entry(("llmrelay_request_duration_seconds", route_model))
            .or_default();
        let secs = o.latency.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
        let model = || vec![("model", o.model.to_string())];
        if let Some((prompt, completion)) = o.tokens {
            for (kind, n) in [("prompt", prompt), ("completion", completion)] {
                let mut labels = model();
                labels.push(("type", kind.to_string()));
                *s.counters
                    .entry(("llmrelay_tokens_total", labels))
                    .or_default() += n as f64;
            }
        }
        if let Some(spend) = o.spend {
            *s.counters
                .entry(("llmrelay_spend_usd_total", model()))
                .or_default() += spend;
        }
        if let Some(kind) = o.upstream_error {
            let mut labels = model();
            labels.push(("kind", kind.to_string()));
            *s.counters
                .entry(("llmrelay_upstream_errors_total", labels))
                .or_default() += 1.0;
        }
    }

    /// Counts one response-cache event: `llmrelay_cache_hits_total`,
    /// `llmrelay_cache_misses_total` or `llmrelay_cache_errors_total`
    /// (`op`: read or write), by route.
    pub fn cache_event(&self, name: &'static str, route: &'static str, op: Option<&'static str>) {
        let mut labels = vec![("route", route.to_string())];
        if let Some(op) = op {
            labels.push(("op", op.to_string()));
        }
        let mut s = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        *s.counters.entry((name, labels)).or_default() += 1.0;
    }

    /// The text exposition of every series, plus the router's cooldowns
    /// (deployments cooling down, by model group) read at scrape time.
    pub fn render(&self, cooldowns: &[(String, usize)]) -> String {
        let s = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::with_capacity(4096);
        let mut last = "";
        for ((name, labels), value) in &s.counters {
            if *name != last {
                let _ = writeln!(out, "# TYPE {name} counter");
                last = name;
            }
            let _ = writeln!(out, "{name}{} {value}", label_text(labels, None));
        }
        let mut last = "";
        for ((name, labels), h) in &s.histograms {
            if *name != last {
                let _ = writeln!(out, "# TYPE {name} histogram");
                last = name;
            }
            for (bound, count) in BUCKETS.iter().zip(h.counts) {
                let le = bound.to_string();
                let _ = writeln!(
                    out,
                    "{name}_bucket{} {count}",
                    label_text(labels, Some(&le))
                );
            }
            let _ = writeln!(
                out,
                "{name}_bucket{} {}",
                label_text(labels, Some("+Inf")),
                h.count
            );
            let _ = writeln!(out, "{name}_sum{} {}", label_text(labels, None), h.sum);
            let _ = writeln!(out, "{name}_count{} {}", label_text(labels, None), h.count);
        }
        let _ = writeln!(out, "# TYPE llmrelay_in_flight_requests gauge");
        let _ = writeln!(out, "llmrelay_in_flight_requests {}", self.in_flight());
        let _ = writeln!(out, "# TYPE llmrelay_router_cooldowns gauge");
        for (group, n) in cooldowns {
            let labels = vec![("model_group", group.clone())];
            let _ = writeln!(
                out,
                "llmrelay_router_cooldowns{} {n}",
                label_text(&labels, None)
            );
        }
        let dependencies = *self
            .dependencies
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(health) = dependencies {
            let _ = writeln!(out, "# TYPE llmrelay_database_up gauge");
            let _ = writeln!(out, "llmrelay_database_up {}", u8::from(health.database_up));
            let _ = writeln!(out, "# TYPE llmrelay_rate_limiter_state gauge");
            for state in [
                llmrelay_control::LimiterHealth::Local,
                llmrelay_control::LimiterHealth::Redis,
                llmrelay_control::LimiterHealth::RedisDownFailClosed,
                llmrelay_control::LimiterHealth::RedisDownLocalFallback,
            ] {
                let _ = writeln!(
                    out,
                    "llmrelay_rate_limiter_state{{state=\"{}\"}} {}",
                    limiter_state(state),
                    u8::from(state == health.limiter)
                );
            }
        }
        out
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("in_flight", &self.in_flight())
            .finish_non_exhaustive()
    }
}

/// Ends an in-flight request when dropped.
pub struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `{a="x",b="y"}` with Prometheus escaping, plus `le` for buckets.
fn label_text(labels: &Labels, le: Option<&str>) -> String {
    let mut parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    if let Some(le) = le {
        parts.push(format!("le=\"{le}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_counts_everywhere_it_should() {
        let m = Arc::new(Metrics::default());
        {
            let _guard = m.start();
            assert_eq!(m.in_flight(), 1);
        }
        m.observe(&Observation {
            route: "chat_completions",
            model: "gpt-4o",
            status: 200,
            latency: Duration::from_millis(3),
            tokens: Some((10, 5)),
            spend: Some(0.25),
            upstream_error: None,
        });
        m.observe(&Observation {
            route: "chat_completions",
            model: "gpt-4o",
            status: 429,
            latency: Duration::from_millis(1),
            tokens: None,
            spend: None,
            upstream_error: Some("RateLimitError"),
        });
        let text = m.render(&[("gpt-4o".into(), 1)]);
        for line in [
            "llmrelay_requests_total{route=\"chat_completions\",model=\"gpt-4o\",status=\"200\"} 1",
            "llmrelay_requests_total{route=\"chat_completions\",model=\"gpt-4o\",status=\"429\"} 1",
            "llmrelay_request_duration_seconds_bucket{route=\"chat_completions\",model=\"gpt-4o\",le=\"0.0025\"} 1",
            "llmrelay_request_duration_seconds_bucket{route=\"chat_completions\",model=\"gpt-4o\",le=\"0.005\"} 2",
            "llmrelay_request_duration_seconds_count{route=\"chat_completions\",model=\"gpt-4o\"} 2",
            "llmrelay_tokens_total{model=\"gpt-4o\",type=\"prompt\"} 10",
            "llmrelay_spend_usd_total{model=\"gpt-4o\"} 0.25",
            "llmrelay_upstream_errors_total{model=\"gpt-4o\",kind=\"RateLimitError\"} 1",
            "llmrelay_in_flight_requests 0",
            "llmrelay_router_cooldowns{model_group=\"gpt-4o\"} 1",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }

    #[test]
    fn label_values_are_escaped() {
        let labels = vec![("model", "a\"b\\c".to_string())];
        assert_eq!(label_text(&labels, None), "{model=\"a\\\"b\\\\c\"}");
    }
}
