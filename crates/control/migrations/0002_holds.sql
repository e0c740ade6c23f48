-- Budget holds, one row per hold and record, so a hold whose request never
-- settles (its instance was killed) is released when it expires instead of
-- shrinking the budget forever.
CREATE TABLE llmrelay_holds (
    hold_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    record_id TEXT NOT NULL,
    nanos BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (hold_id, scope)
);
CREATE INDEX llmrelay_holds_expiry ON llmrelay_holds (expires_at);
