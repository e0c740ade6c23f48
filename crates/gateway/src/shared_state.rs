//! Router state shared by gateway instances through Redis: a deployment one
//! instance cools down is skipped by every instance. The router reads its
//! state synchronously in the selection hot path, so this keeps a local
//! mirror ([`InMemoryState`]) that the router reads and writes as usual; a
//! background task publishes each cooldown to Redis (a key per deployment
//! whose value is the deadline and which expires with it) and pulls every
//! deployment's deadline into the mirror twice a second. In-flight counts,
//! minute usage and latencies stay per instance (they describe this
//! instance's traffic; rate limits that must be global live in the control
//! plane's limiter).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use llmrelay_router::state::MinuteUsage;
use llmrelay_router::{Clock, InMemoryState, RouterState, SystemClock};
use redis::aio::ConnectionManager;
use tokio::sync::mpsc;

/// How often deadlines set elsewhere are pulled.
const PULL_EVERY: Duration = Duration::from_millis(500);

/// [`RouterState`] whose cooldowns are shared through Redis.
#[derive(Debug)]
pub struct SharedRouterState {
    local: InMemoryState,
    ids: OnceLock<Vec<String>>,
    published: mpsc::UnboundedSender<(usize, u64)>,
    outbox: std::sync::Mutex<Option<mpsc::UnboundedReceiver<(usize, u64)>>>,
    redis_url: String,
    prefix: String,
}

impl SharedRouterState {
    /// A state shared through `redis_url` under the key prefix `prefix`. No
    /// I/O until [`SharedRouterState::start`].
    pub fn new(redis_url: &str, prefix: &str) -> Self {
        let (published, outbox) = mpsc::unbounded_channel();
        SharedRouterState {
            local: InMemoryState::new(),
            ids: OnceLock::new(),
            published,
            outbox: std::sync::Mutex::new(Some(outbox)),
            redis_url: redis_url.to_owned(),
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, id: &str) -> String {
        format!("{}:router:cooldown:{id}", self.prefix)
    }

    /// Starts the background sync (once; later calls do nothing). Must run
    /// inside a tokio runtime. Redis being down is logged and retried: the
    /// router then works on this instance's cooldowns alone.
    pub fn start(self: &Arc<Self>) {
        let Some(outbox) = self.outbox.lock().ok().and_then(|mut o| o.take()) else {
            return;
        };
        let this = Arc::clone(self);
        tokio::spawn(async move { this.sync(outbox).await });
    }

    async fn connect(&self) -> Option<ConnectionManager> {
        let client = redis::Client::open(self.redis_url.as_str()).ok()?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(1))
            .set_response_timeout(Duration::from_secs(1));
        match ConnectionManager::new_with_config(client, config).await {
            Ok(conn) => Some(conn),
            Err(e) => {
                eprintln!("llmrelay: router cooldowns are not shared (redis: {e})");
                None
            }
        }
    }

    async fn sync(self: Arc<Self>, mut outbox: mpsc::UnboundedReceiver<(usize, u64)>) {
        let mut conn = None;
        let mut tick = tokio::time::interval(PULL_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                published = outbox.recv() => {
                    let Some((slot, until)) = published else { return };
                    if conn.is_none() {
                        conn = self.connect().await;
                    }
                    if let Some(c) = conn.as_mut() {
                        self.publish(c, slot, until).await;
                    }
                }
                _ = tick.tick() => {
                    if conn.is_none() {
                        conn = self.connect().await;
                    }
                    if let Some(c) = conn.as_mut() {
                        self.pull(c).await;
                    }
                }
            }
        }
    }

    async fn publish(&self, conn: &mut ConnectionManager, slot: usize, until: u64) {
        let Some(id) = self.ids.get().and_then(|ids| ids.get(slot)) else {
            return;
        };
        let ttl = until.saturating_sub(SystemClock.now_ms()).max(1);
        let set: redis::RedisResult<()> = redis::cmd("SET")
            .arg(self.key(id))
            .arg(until)
            .arg("PX")
            .arg(ttl)
            .query_async(conn)
            .await;
        if let Err(e) = set {
            eprintln!("llmrelay: could not share a router cooldown (redis: {e})");
        }
    }

    /// Applies every deadline other instances set to the local mirror.
    pub async fn pull(&self, conn: &mut ConnectionManager) {
        let Some(ids) = self.ids.get().filter(|ids| !ids.is_empty()) else {
            return;
        };
        let keys: Vec<String> = ids.iter().map(|id| self.key(id)).collect();
        let deadlines: redis::RedisResult<Vec<Option<u64>>> =
            redis::cmd("MGET").arg(&keys).query_async(conn).await;
        match deadlines {
            Ok(deadlines) => {
                for (slot, until) in deadlines.into_iter().enumerate() {
                    if let Some(until) = until {
                        // Local only: re-publishing would echo it back forever.
                        self.local.cool_down(slot, until);
                    }
                }
            }
            Err(e) => eprintln!("llmrelay: could not read shared router cooldowns (redis: {e})"),
        }
    }

    /// Pulls once now (tests; the background task does it periodically).
    pub async fn pull_now(&self) {
        if let Some(mut conn) = self.connect().await {
            self.pull(&mut conn).await;
        }
    }
}

impl RouterState for SharedRouterState {
    fn attach(&self, ids: &[String]) {
        self.local.attach(ids);
        let _ = self.ids.set(ids.to_vec());
    }
    fn start_call(&self, slot: usize, now_ms: u64) {
        self.local.start_call(slot, now_ms);
    }
    fn end_call(&self, slot: usize) {
        self.local.end_call(slot);
    }
    fn in_flight(&self, slot: usize) -> u64 {
        self.local.in_flight(slot)
    }
    fn record_tokens(&self, slot: usize, now_ms: u64, tokens: u64) {
        self.local.record_tokens(slot, now_ms, tokens);
    }
    fn usage(&self, slot: usize, now_ms: u64) -> MinuteUsage {
        self.local.usage(slot, now_ms)
    }
    fn record_latency(&self, slot: usize, now_ms: u64, latency: Duration, ttl: Duration) {
        self.local.record_latency(slot, now_ms, latency, ttl);
    }
    fn latency(&self, slot: usize, now_ms: u64) -> Option<Duration> {
        self.local.latency(slot, now_ms)
    }
    fn record_failure(&self, slot: usize, now_ms: u64) -> u32 {
        self.local.record_failure(slot, now_ms)
    }
    fn failures(&self, slot: usize, now_ms: u64) -> u32 {
        self.local.failures(slot, now_ms)
    }
    fn cool_down(&self, slot: usize, until_ms: u64) {
        self.local.cool_down(slot, until_ms);
        let _ = self.published.send((slot, until_ms));
    }
    fn cooldown_until(&self, slot: usize) -> u64 {
        self.local.cooldown_until(slot)
    }
    fn latest_cooldown_end(&self) -> u64 {
        self.local.latest_cooldown_end()
    }
}
