-- One portable schema for SQLite and PostgreSQL: only types both accept
-- (TEXT, BIGINT, DOUBLE PRECISION). Money is kept in integer nano-dollars so
-- the conditional budget UPDATE is exact (no float drift across 1,000s of
-- reservations); times are Unix milliseconds; lists and maps are JSON text.
CREATE TABLE llmrelay_teams (
    team_id TEXT PRIMARY KEY,
    team_alias TEXT,
    members TEXT NOT NULL DEFAULT '[]',
    models TEXT NOT NULL DEFAULT '[]',
    max_budget_nanos BIGINT,
    soft_budget_nanos BIGINT,
    spend_nanos BIGINT NOT NULL DEFAULT 0,
    reserved_nanos BIGINT NOT NULL DEFAULT 0,
    budget_duration TEXT,
    budget_duration_ms BIGINT,
    budget_reset_at BIGINT,
    rpm_limit BIGINT,
    tpm_limit BIGINT,
    max_parallel_requests BIGINT,
    metadata TEXT NOT NULL DEFAULT '{}',
    blocked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE llmrelay_users (
    user_id TEXT PRIMARY KEY,
    user_email TEXT,
    user_role TEXT NOT NULL DEFAULT 'internal_user',
    models TEXT NOT NULL DEFAULT '[]',
    max_budget_nanos BIGINT,
    soft_budget_nanos BIGINT,
    spend_nanos BIGINT NOT NULL DEFAULT 0,
    reserved_nanos BIGINT NOT NULL DEFAULT 0,
    budget_duration TEXT,
    budget_duration_ms BIGINT,
    budget_reset_at BIGINT,
    rpm_limit BIGINT,
    tpm_limit BIGINT,
    max_parallel_requests BIGINT,
    metadata TEXT NOT NULL DEFAULT '{}',
    blocked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- token is the SHA-256 hex of the plain key; the plain key is never stored.
CREATE TABLE llmrelay_keys (
    token TEXT PRIMARY KEY,
    key_name TEXT NOT NULL,
    key_alias TEXT,
    user_id TEXT,
    team_id TEXT,
    expires_at BIGINT,
    models TEXT NOT NULL DEFAULT '[]',
    max_budget_nanos BIGINT,
    soft_budget_nanos BIGINT,
    spend_nanos BIGINT NOT NULL DEFAULT 0,
    reserved_nanos BIGINT NOT NULL DEFAULT 0,
    budget_duration TEXT,
    budget_duration_ms BIGINT,
    budget_reset_at BIGINT,
    rpm_limit BIGINT,
    tpm_limit BIGINT,
    max_parallel_requests BIGINT,
    metadata TEXT NOT NULL DEFAULT '{}',
    blocked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX llmrelay_keys_user ON llmrelay_keys (user_id);
CREATE INDEX llmrelay_keys_team ON llmrelay_keys (team_id);

-- LiteLLM_SpendLogs, column for column (snake_case names; see spend.rs).
CREATE TABLE llmrelay_spend_logs (
    request_id TEXT PRIMARY KEY,
    call_type TEXT NOT NULL,
    api_key TEXT NOT NULL,
    spend DOUBLE PRECISION NOT NULL,
    total_tokens BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    start_time BIGINT NOT NULL,
    end_time BIGINT NOT NULL,
    completion_start_time BIGINT,
    model TEXT NOT NULL,
    model_group TEXT,
    model_id TEXT,
    api_base TEXT,
    end_user TEXT,
    user_id TEXT,
    team_id TEXT,
    request_tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    cache_hit TEXT NOT NULL DEFAULT 'False'
);
CREATE INDEX llmrelay_spend_logs_key ON llmrelay_spend_logs (api_key);
CREATE INDEX llmrelay_spend_logs_start ON llmrelay_spend_logs (start_time);
