//! The operations behind LiteLLM's `/key/*` endpoints.

use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use super::{hash_key, limits_from_row, spend_from_row, LimitValues, Store, LIMIT_COLUMNS};
use crate::duration::parse_duration_ms;
use crate::error::{ControlError, ValidationError};
use crate::records::{GenerateKey, GeneratedKey, KeyRecord, UpdateKey};

pub(super) fn random_hex(bytes: usize) -> Result<String, ControlError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| ControlError::Journal(std::io::Error::other(e)))?;
    Ok(hex::encode(buf))
}

fn key_name(plain: &str) -> String {
    let tail: String = plain
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("sk-...{tail}")
}

pub(super) fn not_found(what: &'static str, id: &str) -> ControlError {
    ControlError::NotFound {
        what,
        id: id.to_owned(),
    }
}

fn key_from_row(row: &AnyRow) -> Result<KeyRecord, ControlError> {
    Ok(KeyRecord {
        token: row.try_get("token")?,
        key_name: row.try_get("key_name")?,
        key_alias: row.try_get("key_alias")?,
        user_id: row.try_get("user_id")?,
        team_id: row.try_get("team_id")?,
        expires_at: row.try_get("expires_at")?,
        limits: limits_from_row(row)?,
        spend: spend_from_row(row)?,
        created_at: row.try_get("created_at")?,
    })
}

/// A database error, read as "`what` `id` already exists" when it is a
/// unique-key violation (the insert of a record whose id is taken).
pub(super) fn exists_or(
    what: &'static str,
    id: String,
) -> impl FnOnce(sqlx::Error) -> ControlError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ValidationError::AlreadyExists { what, id }.into()
        }
        _ => ControlError::from(e),
    }
}

impl Store {
    // ---- keys ------------------------------------------------------------

    /// `/key/generate`: stores the key's hash and returns the plain key once.
    pub async fn generate_key(&self, req: GenerateKey) -> Result<GeneratedKey, ControlError> {
        let plain = match req.key {
            Some(k) if k.starts_with("sk-") && k.len() >= 11 => k,
            Some(_) => return Err(ValidationError::BadCustomKey.into()),
            None => format!("sk-{}", random_hex(24)?),
        };
        self.check_owner(req.user_id.as_deref(), req.team_id.as_deref())
            .await?;
        let now = self.now_ms();
        let expires_at = match req.duration.as_deref() {
            Some(d) => Some(now.saturating_add(parse_duration_ms(d)?)),
            None => None,
        };
        let values = LimitValues::new(&req.limits, now, None)?;
        let token = hash_key(&plain);
        let sql = format!(
            "INSERT INTO llmrelay_keys (token, key_name, key_alias, user_id, team_id, expires_at, created_at, {LIMIT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
        );
        let q = sqlx::query::<Any>(&sql)
            .bind(token.clone())
            .bind(key_name(&plain))
            .bind(req.key_alias)
            .bind(req.user_id)
            .bind(req.team_id)
            .bind(expires_at)
            .bind(now);
        values
            .bind(q)
            .execute(self.pool())
            .await
            .map_err(exists_or("key", key_name(&plain)))?;
        let record = self.key_info(&token).await?;
        Ok(GeneratedKey { key: plain, record })
    }

    /// `/key/info` by hash (use [`hash_key`] on a plain key).
    pub async fn key_info(&self, token: &str) -> Result<KeyRecord, ControlError> {
        let row = sqlx::query::<Any>("SELECT * FROM llmrelay_keys WHERE token = $1")
            .bind(token.to_owned())
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| not_found("key", token))?;
        key_from_row(&row)
    }

    /// `/key/update`: changes only the fields given.
    pub async fn update_key(&self, token: &str, req: UpdateKey) -> Result<KeyRecord, ControlError> {
        let old = self.key_info(token).await?;
        let mut limits = old.limits.clone();
        req.limits.apply(&mut limits);
        let user_id = req.user_id.or(old.user_id.clone());
        let team_id = req.team_id.or(old.team_id.clone());
        self.check_owner(user_id.as_deref(), team_id.as_deref())
            .await?;
        let now = self.now_ms();
        let expires_at = match req.duration.as_deref() {
            Some(d) => Some(now.saturating_add(parse_duration_ms(d)?)),
            None => old.expires_at,
        };
        let values = LimitValues::new(
            &limits,
            now,
            Some((&old.limits.budget_duration, old.spend.budget_reset_at)),
        )?;
        let sql = format!(
            "UPDATE llmrelay_keys SET ({LIMIT_COLUMNS}, key_alias, user_id, team_id, expires_at) = \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) WHERE token = $16"
        );
        let q = values
            .bind(sqlx::query::<Any>(&sql))
            .bind(req.key_alias.or(old.key_alias))
            .bind(user_id)
            .bind(team_id)
            .bind(expires_at)
            .bind(token.to_owned());
        q.execute(self.pool()).await?;
        self.key_info(token).await
    }

    /// `/key/block` and `/key/unblock`.
    pub async fn set_key_blocked(
        &self,
        token: &str,
        blocked: bool,
    ) -> Result<KeyRecord, ControlError> {
        let done = sqlx::query::<Any>("UPDATE llmrelay_keys SET blocked = $1 WHERE token = $2")
            .bind(i64::from(blocked))
            .bind(token.to_owned())
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("key", token));
        }
        self.key_info(token).await
    }

    /// `/key/delete`.
    pub async fn delete_key(&self, token: &str) -> Result<(), ControlError> {
        let done = sqlx::query::<Any>("DELETE FROM llmrelay_keys WHERE token = $1")
            .bind(token.to_owned())
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("key", token));
        }
        Ok(())
    }

    /// `/key/regenerate`: a new plain key for the same record (spend, limits
    /// and owner kept); the old key stops working.
    pub async fn regenerate_key(&self, token: &str) -> Result<GeneratedKey, ControlError> {
        let plain = format!("sk-{}", random_hex(24)?);
        let new_token = hash_key(&plain);
        let done = sqlx::query::<Any>(
            "UPDATE llmrelay_keys SET token = $1, key_name = $2 WHERE token = $3",
        )
        .bind(new_token.clone())
        .bind(key_name(&plain))
        .bind(token.to_owned())
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("key", token));
        }
        let record = self.key_info(&new_token).await?;
        Ok(GeneratedKey { key: plain, record })
    }

    /// `/key/list`, optionally for one user or team, newest first.
    pub async fn list_keys(
        &self,
        user_id: Option<&str>,
        team_id: Option<&str>,
    ) -> Result<Vec<KeyRecord>, ControlError> {
        let rows = sqlx::query::<Any>(
            "SELECT * FROM llmrelay_keys WHERE ($1 = '' OR user_id = $1) AND ($2 = '' OR team_id = $2) \
             ORDER BY created_at DESC, token",
        )
        .bind(user_id.unwrap_or("").to_owned())
        .bind(team_id.unwrap_or("").to_owned())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(key_from_row).collect()
    }

    pub(super) async fn check_owner(
        &self,
        user_id: Option<&str>,
        team_id: Option<&str>,
    ) -> Result<(), ControlError> {
        if let Some(id) = user_id {
            if self.user_info(id).await.is_err() {
                return Err(ValidationError::UnknownReference {
                    what: "user",
                    id: id.to_owned(),
                }
                .into());
            }
        }
        if let Some(id) = team_id {
            if self.team_info(id).await.is_err() {
                return Err(ValidationError::UnknownReference {
                    what: "team",
                    id: id.to_owned(),
                }
                .into());
            }
        }
        Ok(())
    }
}
