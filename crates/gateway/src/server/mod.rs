//! The HTTP server: routes, limits, start-up policy and graceful shutdown.

mod admin;
mod body;
mod cache;
mod call;
mod chat;
mod metering;
mod routes;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;

use crate::api_error::{ApiError, Dialect};
use crate::auth::Authenticator;
use crate::config::GatewayConfig;
use crate::control_plane::{redis_url, ControlPlane, REDIS_SETTINGS};
use crate::metrics::Metrics;
use crate::request_log::RequestLog;
use crate::routing::ModelRouter;
use crate::shared_state::SharedRouterState;

/// How the gateway answers, beyond the config file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Largest total size of the request headers.
    pub max_header_bytes: usize,
    /// Whole-call timeout when the request sets none.
    pub request_timeout: Duration,
    /// Accept `api_base` / `api_key` in request bodies.
    pub allow_client_credentials: bool,
    /// How long in-flight requests may run after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Longest time a client may take to send its body (slow clients get a 408).
    pub body_read_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_body_bytes: 32 << 20,
            max_header_bytes: 64 << 10,
            request_timeout: Duration::from_secs(600),
            allow_client_credentials: false,
            shutdown_grace: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(60),
        }
    }
}

/// Everything a request handler needs, shared by all of them.
#[derive(Debug)]
pub struct Gateway {
    router: ModelRouter,
    auth: Authenticator,
    metrics: Arc<Metrics>,
    log: RequestLog,
    settings: Settings,
    warnings: Vec<String>,
    /// Router cooldowns shared through Redis, when Redis is configured.
    shared_state: Option<Arc<SharedRouterState>>,
    /// The response cache (`litellm_settings.cache`).
    cache: Option<Arc<llmrelay_cache::ResponseCache>>,
}

/// Why the gateway would not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The model list or router settings cannot be served.
    #[error("{0}")]
    Models(String),
    /// No master key and a non-loopback address.
    #[error("refusing to listen on {0} without general_settings.master_key: set one, listen on 127.0.0.1, or pass --allow-unauthenticated")]
    Unauthenticated(SocketAddr),
    /// The response cache could not be opened (a disk directory that cannot be made).
    #[error("response cache: {0}")]
    Cache(String),
    /// Virtual keys were asked for without a master key to manage them.
    #[error("virtual keys need general_settings.master_key (the key that creates them)")]
    NoMasterKey,
}

impl Gateway {
    /// A gateway for `config`. `passthrough` also serves any catalog model by
    /// its own name (`llmrelay serve` with no config).
    pub fn new(
        config: &GatewayConfig,
        passthrough: bool,
        log: RequestLog,
    ) -> Result<Gateway, StartError> {
        let client = llmrelay::Client::with_config(llmrelay::ClientConfig {
            timeout: config.request_timeout(),
            num_retries: config.litellm_settings.num_retries.unwrap_or(2),
            drop_params: config.litellm_settings.drop_params.unwrap_or(false),
            stream_idle_timeout: config
                .litellm_settings
                .stream_timeout
                .filter(|s| s.is_finite() && *s > 0.0)
                .map_or(Duration::from_secs(120), Duration::from_secs_f64),
            ..llmrelay::ClientConfig::default()
        });
        // With Redis, cooldowns are shared by every instance.
        let shared_state = redis_url(&config.router_settings)
            .map(|url| Arc::new(SharedRouterState::new(&url, "llmrelay")));
        let mut router_settings = config.router_settings.clone();
        // Redis settings configure shared state, not the router's choices.
        for key in REDIS_SETTINGS {
            router_settings.remove(*key);
        }
        if let Some(n) = config.litellm_settings.num_retries {
            router_settings
                .entry("num_retries")
                .or_insert_with(|| serde_json::json!(n));
        }
        let (router, warnings) = ModelRouter::new(
            client,
            &config.model_list,
            &router_settings,
            passthrough,
            shared_state
                .clone()
                .map(|s| s as Arc<dyn llmrelay_router::RouterState>),
        )
        .map_err(StartError::Models)?;
        let auth = match &config.general_settings.master_key {
            Some(key) if !key.is_empty() => Authenticator::MasterKey(key.clone()),
            _ => Authenticator::Open,
        };
        let mut settings = Settings {
            request_timeout: config.request_timeout(),
            allow_client_credentials: config
                .general_settings
                .allow_client_side_credentials
                .unwrap_or(false),
            ..Settings::default()
        };
        if let Some(mb) = config.general_settings.max_request_size_mb {
            settings.max_body_bytes = (mb * 1024.0 * 1024.0) as usize;
        }
        let cache = match &config.cache {
            Some(c) => Some(Arc::new(
                llmrelay_cache::ResponseCache::open(c)
                    .map_err(|e| StartError::Cache(e.to_string()))?,
            )),
            None => None,
        };
        Ok(Gateway {
            router,
            auth,
            metrics: Arc::new(Metrics::default()),
            log,
            settings,
            warnings,
            shared_state,
            cache,
        })
    }

    /// The router state shared through Redis, when Redis is configured.
    pub fn shared_state(&self) -> Option<&Arc<SharedRouterState>> {
        self.shared_state.as_ref()
    }

    /// Turns on virtual keys, budgets, limits and spend over `control`
    /// (opened with [`ControlPlane::open`]); the master key manages them.
    pub fn with_control(mut self, control: Arc<ControlPlane>) -> Result<Gateway, StartError> {
        let master = match &self.auth {
            Authenticator::MasterKey(master) | Authenticator::VirtualKeys { master, .. } => {
                master.clone()
            }
            Authenticator::Open => return Err(StartError::NoMasterKey),
        };
        self.auth = Authenticator::VirtualKeys { master, control };
        Ok(self)
    }

    /// The control plane, when virtual keys are on.
    pub fn control(&self) -> Option<&Arc<ControlPlane>> {
        self.auth.control()
    }

    /// Keys of the model list and router settings that the router does not
    /// use, by dotted name.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Replaces the limits and timeouts.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The limits and timeouts in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Fails unless `addr` is loopback, a key is required, or the operator
    /// said `--allow-unauthenticated`.
    pub fn check_bind(
        &self,
        addr: SocketAddr,
        allow_unauthenticated: bool,
    ) -> Result<(), StartError> {
        if self.auth.is_open() && !addr.ip().is_loopback() && !allow_unauthenticated {
            return Err(StartError::Unauthenticated(addr));
        }
        Ok(())
    }

    /// The axum app over this gateway.
    pub fn app(self: Arc<Self>) -> axum::Router {
        let max_header_bytes = self.settings.max_header_bytes;
        let mut app = axum::Router::new();
        for prefix in ["", "/v1"] {
            app = app
                .route(
                    &format!("{prefix}/chat/completions"),
                    post(routes::chat_completions),
                )
                .route(&format!("{prefix}/completions"), post(routes::completions))
                .route(&format!("{prefix}/embeddings"), post(routes::embeddings))
                .route(&format!("{prefix}/responses"), post(routes::responses))
                .route(&format!("{prefix}/messages"), post(routes::messages))
                .route(
                    &format!("{prefix}/messages/count_tokens"),
                    post(routes::count_tokens),
                )
                .route(&format!("{prefix}/models"), get(routes::models))
                .route(&format!("{prefix}/model/info"), get(routes::model_info));
        }
        app.route(
            "/openai/deployments/{deployment}/chat/completions",
            post(routes::chat_completions),
        )
        .route("/key/generate", post(admin::key_generate))
        .route("/key/info", get(admin::key_info))
        .route("/key/update", post(admin::key_update))
        .route("/key/delete", post(admin::key_delete))
        .route("/key/list", get(admin::key_list))
        .route("/key/regenerate", post(admin::key_regenerate))
        .route("/key/{key}/regenerate", post(admin::key_regenerate_by_path))
        .route("/key/block", post(admin::key_block))
        .route("/key/unblock", post(admin::key_unblock))
        .route("/user/new", post(admin::user_new))
        .route("/user/info", get(admin::user_info))
        .route("/user/update", post(admin::user_update))
        .route("/user/delete", post(admin::user_delete))
        .route("/user/list", get(admin::user_list))
        .route("/team/new", post(admin::team_new))
        .route("/team/info", get(admin::team_info))
        .route("/team/update", post(admin::team_update))
        .route("/team/delete", post(admin::team_delete))
        .route("/team/list", get(admin::team_list))
        .route("/team/member_add", post(admin::team_member_add))
        .route("/team/member_delete", post(admin::team_member_delete))
        .route("/spend/logs", get(admin::spend_logs))
        .route("/health", get(routes::health))
        .route("/health/liveliness", get(routes::liveliness))
        .route("/health/readiness", get(routes::readiness))
        .route("/metrics", get(routes::metrics))
        .fallback(routes::not_found)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            limit_headers(req, next, max_header_bytes)
        }))
        .with_state(self)
    }
}

/// 431 for requests whose headers add up to more than `limit` bytes.
async fn limit_headers(req: Request, next: Next, limit: usize) -> Response {
    let size: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if size > limit {
        let dialect = if req.uri().path().contains("/messages") {
            Dialect::Anthropic
        } else {
            Dialect::OpenAi
        };
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE.as_u16(),
            format!("the request headers exceed the gateway's limit of {limit} bytes"),
        )
        .into_response(dialect);
    }
    next.run(req).await
}

/// Serves `gateway` on `listener` until `shutdown` completes; then stops
/// accepting, lets in-flight requests and streams finish for up to the
/// configured grace period, and returns.
pub async fn serve(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let grace = gateway.settings.shutdown_grace;
    if let Some(shared) = &gateway.shared_state {
        shared.start();
    }
    let (signalled_tx, mut signalled_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, gateway.app()).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = signalled_tx.send(true);
    });
    let bound = async move {
        while !*signalled_rx.borrow() {
            if signalled_rx.changed().await.is_err() {
                // The server ended on its own; nothing to bound.
                std::future::pending::<()>().await;
            }
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = server => result,
        () = bound => Ok(()),
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
