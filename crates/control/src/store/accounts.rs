//! The operations behind LiteLLM's `/user/*` and `/team/*` endpoints.

use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use super::keys::{exists_or, not_found, random_hex};
use super::{json_column, limits_from_row, spend_from_row, LimitValues, Store, LIMIT_COLUMNS};
use crate::error::{ControlError, ValidationError};
use crate::records::{Limits, TeamRecord, TeamRequest, UserRecord, UserRequest};

fn user_from_row(row: &AnyRow) -> Result<UserRecord, ControlError> {
    Ok(UserRecord {
        user_id: row.try_get("user_id")?,
        user_email: row.try_get("user_email")?,
        user_role: row.try_get("user_role")?,
        limits: limits_from_row(row)?,
        spend: spend_from_row(row)?,
        created_at: row.try_get("created_at")?,
    })
}

fn team_from_row(row: &AnyRow) -> Result<TeamRecord, ControlError> {
    Ok(TeamRecord {
        team_id: row.try_get("team_id")?,
        team_alias: row.try_get("team_alias")?,
        members: json_column(row, "members")?,
        limits: limits_from_row(row)?,
        spend: spend_from_row(row)?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    // ---- users -----------------------------------------------------------

    /// `/user/new`.
    pub async fn new_user(&self, req: UserRequest) -> Result<UserRecord, ControlError> {
        let user_id = match req.user_id {
            Some(id) if id.trim().is_empty() => {
                return Err(ValidationError::Empty("user_id").into())
            }
            Some(id) => id,
            None => random_hex(8)?,
        };
        let mut limits = Limits::default();
        req.limits.apply(&mut limits);
        let now = self.now_ms();
        let values = LimitValues::new(&limits, now, None)?;
        let sql = format!(
            "INSERT INTO llmrelay_users (user_id, user_email, user_role, created_at, {LIMIT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        let q = sqlx::query::<Any>(&sql)
            .bind(user_id.clone())
            .bind(req.user_email)
            .bind(req.user_role.unwrap_or_else(|| "internal_user".to_owned()))
            .bind(now);
        values
            .bind(q)
            .execute(self.pool())
            .await
            .map_err(exists_or("user", user_id.clone()))?;
        self.user_info(&user_id).await
    }

    /// `/user/info`.
    pub async fn user_info(&self, user_id: &str) -> Result<UserRecord, ControlError> {
        let row = sqlx::query::<Any>("SELECT * FROM llmrelay_users WHERE user_id = $1")
            .bind(user_id.to_owned())
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| not_found("user", user_id))?;
        user_from_row(&row)
    }

    /// `/user/update`: changes only the fields given.
    pub async fn update_user(
        &self,
        user_id: &str,
        req: UserRequest,
    ) -> Result<UserRecord, ControlError> {
        let old = self.user_info(user_id).await?;
        let mut limits = old.limits.clone();
        req.limits.apply(&mut limits);
        let values = LimitValues::new(
            &limits,
            self.now_ms(),
            Some((&old.limits.budget_duration, old.spend.budget_reset_at)),
        )?;
        let sql = format!(
            "UPDATE llmrelay_users SET ({LIMIT_COLUMNS}, user_email, user_role) = \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) WHERE user_id = $14"
        );
        values
            .bind(sqlx::query::<Any>(&sql))
            .bind(req.user_email.or(old.user_email))
            .bind(req.user_role.unwrap_or(old.user_role))
            .bind(user_id.to_owned())
            .execute(self.pool())
            .await?;
        self.user_info(user_id).await
    }

    /// `/user/delete`: also deletes the user's keys, as LiteLLM does.
    pub async fn delete_user(&self, user_id: &str) -> Result<(), ControlError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query::<Any>("DELETE FROM llmrelay_keys WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query::<Any>("DELETE FROM llmrelay_users WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("user", user_id));
        }
        tx.commit().await?;
        Ok(())
    }

    /// `/user/list`.
    pub async fn list_users(&self) -> Result<Vec<UserRecord>, ControlError> {
        let rows = sqlx::query::<Any>("SELECT * FROM llmrelay_users ORDER BY created_at, user_id")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    // ---- teams -----------------------------------------------------------

    /// `/team/new`.
    pub async fn new_team(&self, req: TeamRequest) -> Result<TeamRecord, ControlError> {
        let team_id = match req.team_id {
            Some(id) if id.trim().is_empty() => {
                return Err(ValidationError::Empty("team_id").into())
            }
            Some(id) => id,
            None => random_hex(8)?,
        };
        let mut limits = Limits::default();
        req.limits.apply(&mut limits);
        let now = self.now_ms();
        let values = LimitValues::new(&limits, now, None)?;
        let sql = format!(
            "INSERT INTO llmrelay_teams (team_id, team_alias, created_at, {LIMIT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        let q = sqlx::query::<Any>(&sql)
            .bind(team_id.clone())
            .bind(req.team_alias)
            .bind(now);
        values
            .bind(q)
            .execute(self.pool())
            .await
            .map_err(exists_or("team", team_id.clone()))?;
        self.team_info(&team_id).await
    }

    /// `/team/info`.
    pub async fn team_info(&self, team_id: &str) -> Result<TeamRecord, ControlError> {
        let row = sqlx::query::<Any>("SELECT * FROM llmrelay_teams WHERE team_id = $1")
            .bind(team_id.to_owned())
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| not_found("team", team_id))?;
        team_from_row(&row)
    }

    /// `/team/update`: changes only the fields given.
    pub async fn update_team(
        &self,
        team_id: &str,
        req: TeamRequest,
    ) -> Result<TeamRecord, ControlError> {
        let old = self.team_info(team_id).await?;
        let mut limits = old.limits.clone();
        req.limits.apply(&mut limits);
        let values = LimitValues::new(
            &limits,
            self.now_ms(),
            Some((&old.limits.budget_duration, old.spend.budget_reset_at)),
        )?;
        let sql = format!(
            "UPDATE llmrelay_teams SET ({LIMIT_COLUMNS}, team_alias) = \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) WHERE team_id = $13"
        );
        values
            .bind(sqlx::query::<Any>(&sql))
            .bind(req.team_alias.or(old.team_alias))
            .bind(team_id.to_owned())
            .execute(self.pool())
            .await?;
        self.team_info(team_id).await
    }

    /// `/team/delete`: the team's keys lose their team, as LiteLLM does.
    pub async fn delete_team(&self, team_id: &str) -> Result<(), ControlError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query::<Any>("UPDATE llmrelay_keys SET team_id = NULL WHERE team_id = $1")
            .bind(team_id.to_owned())
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query::<Any>("DELETE FROM llmrelay_teams WHERE team_id = $1")
            .bind(team_id.to_owned())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("team", team_id));
        }
        tx.commit().await?;
        Ok(())
    }

    /// `/team/list`.
    pub async fn list_teams(&self) -> Result<Vec<TeamRecord>, ControlError> {
        let rows = sqlx::query::<Any>("SELECT * FROM llmrelay_teams ORDER BY created_at, team_id")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(team_from_row).collect()
    }

    /// `/team/member_add` (the user must exist; adding twice is a no-op).
    pub async fn team_member_add(
        &self,
        team_id: &str,
        user_id: &str,
    ) -> Result<TeamRecord, ControlError> {
        self.check_owner(Some(user_id), None).await?;
        self.edit_members(team_id, |m| {
            if !m.iter().any(|u| u == user_id) {
                m.push(user_id.to_owned());
            }
        })
        .await
    }

    /// `/team/member_delete`.
    pub async fn team_member_delete(
        &self,
        team_id: &str,
        user_id: &str,
    ) -> Result<TeamRecord, ControlError> {
        self.edit_members(team_id, |m| m.retain(|u| u != user_id))
            .await
    }

    async fn edit_members(
        &self,
        team_id: &str,
        edit: impl FnOnce(&mut Vec<String>),
    ) -> Result<TeamRecord, ControlError> {
        let mut tx = self.pool().begin().await?;
        // Row lock on PostgreSQL so two concurrent member edits cannot lose
        // one another; SQLite's single writer connection already serializes.
        let lock = if self.dialect() == super::Dialect::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let sql = format!("SELECT members FROM llmrelay_teams WHERE team_id = $1{lock}");
        let row = sqlx::query::<Any>(&sql)
            .bind(team_id.to_owned())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| not_found("team", team_id))?;
        let mut members: Vec<String> = json_column(&row, "members")?;
        edit(&mut members);
        sqlx::query::<Any>("UPDATE llmrelay_teams SET members = $1 WHERE team_id = $2")
            .bind(serde_json::to_string(&members).unwrap_or_else(|_| "[]".to_owned()))
            .bind(team_id.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.team_info(team_id).await
    }
}
