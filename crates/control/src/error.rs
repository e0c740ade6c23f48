//! Typed errors. `ValidationError` is a 400, `ControlError::NotFound` a 404,
//! `AuthError` maps to 401/403/429/503 (see [`AuthError::http_status`]).

/// A management request that cannot be applied as given (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A duration string LiteLLM would not accept ("30s", "1h", "7d", "1mo").
    #[error("invalid duration {0:?}: use a number followed by s, m, h, d, w or mo")]
    BadDuration(String),
    /// A budget that is negative or not a finite number.
    #[error("invalid {field}: must be a finite number >= 0")]
    BadBudget {
        /// Which field.
        field: &'static str,
    },
    /// A limit that is negative.
    #[error("invalid {field}: must be >= 0")]
    BadLimit {
        /// Which field.
        field: &'static str,
    },
    /// `soft_budget` above `max_budget`.
    #[error("soft_budget must not exceed max_budget")]
    SoftAboveMax,
    /// `metadata` must be a JSON object.
    #[error("metadata must be a JSON object")]
    MetadataNotObject,
    /// A referenced user or team does not exist.
    #[error("{what} {id:?} does not exist")]
    UnknownReference {
        /// "user" or "team".
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// An id or key that is already taken.
    #[error("{what} {id:?} already exists")]
    AlreadyExists {
        /// "key", "user" or "team".
        what: &'static str,
        /// The id given (never a plain key).
        id: String,
    },
    /// A custom key that does not look like one (`sk-` and at least 8 more characters).
    #[error("a custom key must start with \"sk-\" and have at least 8 more characters")]
    BadCustomKey,
    /// An empty id.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

/// An error from a management or storage operation.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// The request is invalid (HTTP 400).
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// No such key, user or team (HTTP 404).
    #[error("{what} {id:?} not found")]
    NotFound {
        /// "key", "user" or "team".
        what: &'static str,
        /// The id (a key's hash, never the plain key).
        id: String,
    },
    /// The database failed or is unreachable (HTTP 503).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations could not be applied at open.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The spend journal could not be written or read.
    #[error("spend journal: {0}")]
    Journal(#[from] std::io::Error),
    /// The spend writer has stopped (after shutdown).
    #[error("spend writer has stopped")]
    SpendWriterStopped,
    /// A stored value could not be decoded (a corrupt row).
    #[error("corrupt stored value in {column}: {reason}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// Why it failed.
        reason: String,
    },
}

/// Which record a budget or limit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The virtual key itself.
    Key,
    /// The key's team.
    Team,
    /// The key's user.
    User,
}

impl Scope {
    /// "key", "team" or "user".
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Key => "key",
            Scope::Team => "team",
            Scope::User => "user",
        }
    }
}

/// Which rate limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Requests per minute.
    Rpm,
    /// Tokens per minute.
    Tpm,
    /// Requests in flight.
    Parallel,
}

/// Why a request with a virtual key may not proceed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuthError {
    /// No such key (HTTP 401). Only returned when the database answered.
    #[error("invalid API key")]
    InvalidKey,
    /// The key's `duration` has passed (HTTP 401).
    #[error("API key expired")]
    Expired,
    /// The key, its team or its user is blocked (HTTP 403).
    #[error("{0} is blocked")]
    Blocked(&'static str),
    /// The key may not use this model (HTTP 403).
    #[error("key not allowed to access model {0:?}")]
    ModelNotAllowed(String),
    /// A budget is spent (HTTP 429 with LiteLLM's `budget_exceeded` type).
    #[error("budget exceeded for {scope}: spend {spend} + reserved {reserved} + request {request} > max_budget {max_budget}",
        scope = .scope.as_str())]
    BudgetExceeded {
        /// Whose budget.
        scope: Scope,
        /// Its recorded spend in USD.
        spend: f64,
        /// Amount held by requests in flight in USD.
        reserved: f64,
        /// This request's worst case in USD.
        request: f64,
        /// The budget in USD.
        max_budget: f64,
    },
    /// A rate limit is reached (HTTP 429).
    #[error("rate limit reached: {kind:?} limit {limit} for {scope}", scope = .scope.as_str())]
    RateLimited {
        /// Whose limit.
        scope: Scope,
        /// Which limit.
        kind: LimitKind,
        /// Its value.
        limit: i64,
        /// Seconds until the window resets (0 for parallel limits).
        retry_after_s: u64,
    },
    /// A dependency needed to decide is down (HTTP 503, never 401).
    #[error("service unavailable: {0}")]
    Unavailable(String),
}

impl AuthError {
    /// The HTTP status the gateway should answer with.
    pub fn http_status(&self) -> u16 {
        match self {
            AuthError::InvalidKey | AuthError::Expired => 401,
            AuthError::Blocked(_) | AuthError::ModelNotAllowed(_) => 403,
            AuthError::BudgetExceeded { .. } | AuthError::RateLimited { .. } => 429,
            AuthError::Unavailable(_) => 503,
        }
    }
}
