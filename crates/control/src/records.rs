//! Keys, users and teams as LiteLLM names their fields.

use serde::{Deserialize, Serialize};

/// Budgets, limits and permissions shared by keys, users and teams.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Models allowed; empty means all.
    pub models: Vec<String>,
    /// Hard budget in USD.
    pub max_budget: Option<f64>,
    /// Soft budget in USD: crossing it is reported, not enforced.
    pub soft_budget: Option<f64>,
    /// How often the budget resets ("30d", "1h", ...).
    pub budget_duration: Option<String>,
    /// Requests per minute.
    pub rpm_limit: Option<i64>,
    /// Tokens per minute.
    pub tpm_limit: Option<i64>,
    /// Requests in flight at once.
    pub max_parallel_requests: Option<i64>,
    /// Free-form JSON object.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// A blocked record refuses every request.
    pub blocked: bool,
}

/// A partial update of [`Limits`]: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitsUpdate {
    /// See [`Limits::models`].
    pub models: Option<Vec<String>>,
    /// See [`Limits::max_budget`].
    pub max_budget: Option<f64>,
    /// See [`Limits::soft_budget`].
    pub soft_budget: Option<f64>,
    /// See [`Limits::budget_duration`].
    pub budget_duration: Option<String>,
    /// See [`Limits::rpm_limit`].
    pub rpm_limit: Option<i64>,
    /// See [`Limits::tpm_limit`].
    pub tpm_limit: Option<i64>,
    /// See [`Limits::max_parallel_requests`].
    pub max_parallel_requests: Option<i64>,
    /// See [`Limits::metadata`] (replaces the whole object).
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// See [`Limits::blocked`].
    pub blocked: Option<bool>,
}

impl LimitsUpdate {
    pub(crate) fn apply(self, to: &mut Limits) {
        if let Some(v) = self.models {
            to.models = v;
        }
        if self.max_budget.is_some() {
            to.max_budget = self.max_budget;
        }
        if self.soft_budget.is_some() {
            to.soft_budget = self.soft_budget;
        }
        if self.budget_duration.is_some() {
            to.budget_duration = self.budget_duration;
        }
        if self.rpm_limit.is_some() {
            to.rpm_limit = self.rpm_limit;
        }
        if self.tpm_limit.is_some() {
            to.tpm_limit = self.tpm_limit;
        }
        if self.max_parallel_requests.is_some() {
            to.max_parallel_requests = self.max_parallel_requests;
        }
        if let Some(v) = self.metadata {
            to.metadata = v;
        }
        if let Some(v) = self.blocked {
            to.blocked = v;
        }
    }
}

/// Spend and budget state of a record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpendState {
    /// Settled spend in USD since the last budget reset.
    pub spend: f64,
    /// Held by requests in flight, in USD.
    pub reserved: f64,
    /// When the budget next resets (Unix ms).
    pub budget_reset_at: Option<i64>,
}

/// A virtual key. Only its hash is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRecord {
    /// SHA-256 hex of the plain key (LiteLLM's `token`).
    pub token: String,
    /// A recognisable abbreviation ("sk-...abcd"), as LiteLLM shows it.
    pub key_name: String,
    /// A label.
    pub key_alias: Option<String>,
    /// Owner.
    pub user_id: Option<String>,
    /// Team.
    pub team_id: Option<String>,
    /// Expiry (Unix ms), from `duration`.
    pub expires_at: Option<i64>,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: Limits,
    /// Spend.
    #[serde(flatten)]
    pub spend: SpendState,
    /// Creation time (Unix ms).
    pub created_at: i64,
}

/// `/key/generate`'s body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenerateKey {
    /// A custom plain key ("sk-..."); generated when absent.
    pub key: Option<String>,
    /// A label.
    pub key_alias: Option<String>,
    /// Owner (must exist).
    pub user_id: Option<String>,
    /// Team (must exist).
    pub team_id: Option<String>,
    /// Lifetime ("30d"); none means no expiry.
    pub duration: Option<String>,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: Limits,
}

/// `/key/update`'s body (besides the key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateKey {
    /// New label.
    pub key_alias: Option<String>,
    /// New owner.
    pub user_id: Option<String>,
    /// New team.
    pub team_id: Option<String>,
    /// New lifetime from now.
    pub duration: Option<String>,
    /// Changed limits.
    #[serde(flatten)]
    pub limits: LimitsUpdate,
}

/// A freshly generated key: `key` is the only time the plain key is seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedKey {
    /// The plain key. Show it once; it cannot be recovered.
    pub key: String,
    /// What was stored.
    #[serde(flatten)]
    pub record: KeyRecord,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Id.
    pub user_id: String,
    /// Email.
    pub user_email: Option<String>,
    /// LiteLLM role ("proxy_admin", "internal_user", ...).
    pub user_role: String,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: Limits,
    /// Spend.
    #[serde(flatten)]
    pub spend: SpendState,
    /// Creation time (Unix ms).
    pub created_at: i64,
}

/// `/user/new` and `/user/update` bodies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserRequest {
    /// Id (generated on `/user/new` when absent).
    pub user_id: Option<String>,
    /// Email.
    pub user_email: Option<String>,
    /// Role; "internal_user" when absent.
    pub user_role: Option<String>,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: LimitsUpdate,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamRecord {
    /// Id.
    pub team_id: String,
    /// Label.
    pub team_alias: Option<String>,
    /// Member user ids.
    pub members: Vec<String>,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: Limits,
    /// Spend.
    #[serde(flatten)]
    pub spend: SpendState,
    /// Creation time (Unix ms).
    pub created_at: i64,
}

/// `/team/new` and `/team/update` bodies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamRequest {
    /// Id (generated on `/team/new` when absent).
    pub team_id: Option<String>,
    /// Label.
    pub team_alias: Option<String>,
    /// Budgets and limits.
    #[serde(flatten)]
    pub limits: LimitsUpdate,
}
