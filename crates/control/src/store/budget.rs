//! Budget reservations: a request's worst-case cost is held against every
//! budget that applies (key, team, user) in one transaction, each through a
//! conditional `UPDATE ... WHERE spend + reserved + x <= max_budget`, so no
//! interleaving of concurrent requests (in one process or across instances on
//! one database) can overspend. Settling swaps the hold for the real cost.

use sqlx::{Any, Row};

use super::{from_nanos, to_nanos, Store};
use crate::error::{AuthError, ControlError, Scope};

/// A hold on budgets, returned by [`Store::reserve`]; pass it to
/// [`Store::settle`] exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a reservation holds budget until it is settled"]
pub struct Reservation {
    holds: Vec<(Scope, String)>,
    nanos: i64,
    /// The hold rows' id (None when nothing is held).
    hold_id: Option<String>,
}

impl Reservation {
    /// No hold at all, for a call no budget applies to: settling it only adds
    /// the spend to the key (and its team and user), off the request path.
    pub fn spend_only(token: &str, team_id: Option<&str>, user_id: Option<&str>) -> Self {
        let mut holds = vec![(Scope::Key, token.to_owned())];
        holds.extend(team_id.map(|t| (Scope::Team, t.to_owned())));
        holds.extend(user_id.map(|u| (Scope::User, u.to_owned())));
        Reservation {
            holds,
            nanos: 0,
            hold_id: None,
        }
    }

    /// The amount held, in USD.
    pub fn amount(&self) -> f64 {
        from_nanos(self.nanos)
    }
}

fn table(scope: Scope) -> (&'static str, &'static str) {
    match scope {
        Scope::Key => ("llmrelay_keys", "token"),
        Scope::Team => ("llmrelay_teams", "team_id"),
        Scope::User => ("llmrelay_users", "user_id"),
    }
}

impl Store {
    /// Holds `worst_case_usd` against the budgets of key `token` and of
    /// `team_id` and `user_id` when given. All or nothing: when any budget
    /// would be exceeded, nothing is held and the error names it. Budgets whose
    /// reset time has passed are reset first.
    pub async fn reserve(
        &self,
        token: &str,
        team_id: Option<&str>,
        user_id: Option<&str>,
        worst_case_usd: f64,
    ) -> Result<Reservation, AuthError> {
        let nanos = to_nanos(worst_case_usd.max(0.0));
        let mut holds = vec![(Scope::Key, token.to_owned())];
        if let Some(t) = team_id {
            holds.push((Scope::Team, t.to_owned()));
        }
        if let Some(u) = user_id {
            holds.push((Scope::User, u.to_owned()));
        }
        let unavailable = |e: sqlx::Error| AuthError::Unavailable(format!("database: {e}"));
        let now = self.now_ms();
        let hold_id = if nanos > 0 {
            Some(super::keys::random_hex(16).map_err(|e| AuthError::Unavailable(e.to_string()))?)
        } else {
            None
        };
        let mut tx = self.pool().begin().await.map_err(unavailable)?;
        // Always key, team, user: one lock order for every transaction, so
        // PostgreSQL never deadlocks two reservations.
        for (scope, id) in &holds {
            let (table, id_col) = table(*scope);
            sqlx::query::<Any>(&format!(
                "UPDATE {table} SET spend_nanos = 0, budget_reset_at = $1 + budget_duration_ms \
                 WHERE {id_col} = $2 AND budget_reset_at IS NOT NULL AND budget_reset_at <= $1"
            ))
            .bind(now)
            .bind(id.clone())
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
            let held = sqlx::query::<Any>(&format!(
                "UPDATE {table} SET reserved_nanos = reserved_nanos + $1 \
                 WHERE {id_col} = $2 AND (max_budget_nanos IS NULL \
                 OR spend_nanos + reserved_nanos + $1 <= max_budget_nanos) RETURNING reserved_nanos"
            ))
            .bind(nanos)
            .bind(id.clone())
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?;
            if held.is_none() {
                // Dropping `tx` rolls back the holds taken so far.
                let row = sqlx::query::<Any>(&format!(
                    "SELECT spend_nanos, reserved_nanos, max_budget_nanos FROM {table} WHERE {id_col} = $1"
                ))
                .bind(id.clone())
                .fetch_optional(&mut *tx)
                .await
                .map_err(unavailable)?;
                let Some(row) = row else {
                    return Err(AuthError::InvalidKey);
                };
                let get = |c: &str| row.try_get::<Option<i64>, _>(c).ok().flatten().unwrap_or(0);
                return Err(AuthError::BudgetExceeded {
                    scope: *scope,
                    spend: from_nanos(get("spend_nanos")),
                    reserved: from_nanos(get("reserved_nanos")),
                    request: from_nanos(nanos),
                    max_budget: from_nanos(get("max_budget_nanos")),
                });
            }
            if let Some(hold_id) = &hold_id {
                sqlx::query::<Any>(
                    "INSERT INTO llmrelay_holds (hold_id, scope, record_id, nanos, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(hold_id.clone())
                .bind(scope.as_str())
                .bind(id.clone())
                .bind(nanos)
                .bind(now.saturating_add(self.hold_ttl_ms()))
                .execute(&mut *tx)
                .await
                .map_err(unavailable)?;
            }
        }
        tx.commit().await.map_err(unavailable)?;
        Ok(Reservation {
            holds,
            nanos,
            hold_id,
        })
    }

    /// Releases `reservation` and adds `real_cost_usd` to the same budgets.
    /// Use a cost of 0 for a request that failed before any tokens. A hold
    /// that expired meanwhile (see [`Store::release_expired_holds`]) was
    /// already given back: only the cost is added.
    pub async fn settle(
        &self,
        reservation: Reservation,
        real_cost_usd: f64,
    ) -> Result<(), ControlError> {
        let cost = to_nanos(real_cost_usd.max(0.0));
        let mut tx = self.pool().begin().await?;
        for (scope, id) in &reservation.holds {
            let held = match &reservation.hold_id {
                Some(hold_id) => sqlx::query::<Any>(
                    "DELETE FROM llmrelay_holds WHERE hold_id = $1 AND scope = $2 RETURNING nanos",
                )
                .bind(hold_id.clone())
                .bind(scope.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map_or(0, |row| row.try_get::<i64, _>("nanos").unwrap_or(0)),
                None => 0,
            };
            let (table, id_col) = table(*scope);
            sqlx::query::<Any>(&format!(
                "UPDATE {table} SET reserved_nanos = reserved_nanos - $1, spend_nanos = spend_nanos + $2 \
                 WHERE {id_col} = $3"
            ))
            .bind(held)
            .bind(cost)
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Gives back holds older than the hold lifetime (their request never
    /// settled: its instance was killed); returns how many hold rows were
    /// released. Run it periodically, beside [`Store::reset_due_budgets`].
    pub async fn release_expired_holds(&self) -> Result<u64, ControlError> {
        let mut tx = self.pool().begin().await?;
        let expired = sqlx::query::<Any>(
            "DELETE FROM llmrelay_holds WHERE expires_at <= $1 RETURNING scope, record_id, nanos",
        )
        .bind(self.now_ms())
        .fetch_all(&mut *tx)
        .await?;
        for row in &expired {
            let scope: String = row.try_get("scope")?;
            let scope = match scope.as_str() {
                "team" => Scope::Team,
                "user" => Scope::User,
                _ => Scope::Key,
            };
            let (table, id_col) = table(scope);
            sqlx::query::<Any>(&format!(
                "UPDATE {table} SET reserved_nanos = reserved_nanos - $1 WHERE {id_col} = $2"
            ))
            .bind(row.try_get::<i64, _>("nanos")?)
            .bind(row.try_get::<String, _>("record_id")?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(expired.len() as u64)
    }

    /// Resets every budget whose `budget_reset_at` has passed and schedules
    /// the next reset; returns how many records were reset. Run it
    /// periodically; [`Store::reserve`] also resets lazily.
    pub async fn reset_due_budgets(&self) -> Result<u64, ControlError> {
        let now = self.now_ms();
        let mut total = 0;
        for scope in [Scope::Key, Scope::Team, Scope::User] {
            let (table, _) = table(scope);
            total += sqlx::query::<Any>(&format!(
                "UPDATE {table} SET spend_nanos = 0, budget_reset_at = $1 + budget_duration_ms \
                 WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= $1"
            ))
            .bind(now)
            .execute(self.pool())
            .await?
            .rows_affected();
        }
        Ok(total)
    }
}
