//! Key authorization with a bounded-staleness cache: a key's records are
//! re-read from the database after `fresh_for`; while the database is down a
//! cached key keeps working until `usable_for` has passed, and a key that is
//! not cached gets `Unavailable` (503), never `InvalidKey` (401).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::error::{AuthError, ControlError};
use crate::records::{KeyRecord, Limits, TeamRecord, UserRecord};
use crate::store::{hash_key, Store};

/// How stale cached key records may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// Re-read from the database after this many milliseconds.
    pub fresh_for_ms: i64,
    /// With the database down, serve cached records up to this age.
    pub usable_for_ms: i64,
}

impl Default for CachePolicy {
    fn default() -> Self {
        Self {
            fresh_for_ms: 5_000,
            usable_for_ms: 600_000,
        }
    }
}

/// A key with the team and user records that bound it.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorized {
    /// The key.
    pub key: KeyRecord,
    /// Its team, when it has one.
    pub team: Option<TeamRecord>,
    /// Its user, when it has one.
    pub user: Option<UserRecord>,
}

impl Authorized {
    /// The records whose limits apply, key first.
    pub fn limits(&self) -> impl Iterator<Item = (crate::Scope, &str, &Limits)> {
        let key = Some((crate::Scope::Key, self.key.token.as_str(), &self.key.limits));
        let team = self
            .team
            .as_ref()
            .map(|t| (crate::Scope::Team, t.team_id.as_str(), &t.limits));
        let user = self
            .user
            .as_ref()
            .map(|u| (crate::Scope::User, u.user_id.as_str(), &u.limits));
        key.into_iter().chain(team).chain(user)
    }

    /// Whether the key, its team and its user all allow `model` (an empty
    /// `models` list allows every model, `*` too).
    pub fn check_model(&self, model: &str) -> Result<(), AuthError> {
        for (_, _, limits) in self.limits() {
            if !limits.models.is_empty() && !limits.models.iter().any(|m| m == model || m == "*") {
                return Err(AuthError::ModelNotAllowed(model.to_owned()));
            }
        }
        Ok(())
    }

    /// Whether any `max_budget` applies: without one, nothing needs to be
    /// reserved before a call (spend is still added afterwards).
    pub fn has_budget(&self) -> bool {
        self.limits().any(|(_, _, l)| l.max_budget.is_some())
    }

    /// Whether the key's user has LiteLLM's `proxy_admin` role (may manage
    /// keys, users and teams like the master key).
    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.user_role == "proxy_admin")
    }
}

/// Looks keys up through the cache and checks expiry, blocks and models.
#[derive(Debug)]
pub struct KeyAuthorizer {
    store: Store,
    policy: CachePolicy,
    cache: RwLock<HashMap<String, (Arc<Authorized>, i64)>>,
}

impl KeyAuthorizer {
    /// An authorizer over `store`.
    pub fn new(store: Store, policy: CachePolicy) -> Self {
        Self {
            store,
            policy,
            cache: RwLock::new(HashMap::new()),
        }
    }

    /// Authorizes a plain key (the bearer token) for `model` (None skips the
    /// model check, e.g. for `/models`).
    pub async fn authorize(
        &self,
        plain_key: &str,
        model: Option<&str>,
    ) -> Result<Arc<Authorized>, AuthError> {
        let token = hash_key(plain_key);
        let auth = self.lookup(&token).await?;
        let now = self.store.now_ms();
        if auth.key.expires_at.is_some_and(|at| at <= now) {
            return Err(AuthError::Expired);
        }
        for (scope, _, limits) in auth.limits() {
            if limits.blocked {
                return Err(AuthError::Blocked(scope.as_str()));
            }
        }
        if let Some(model) = model {
            auth.check_model(model)?;
        }
        Ok(auth)
    }

    /// Forgets a key (call after updating or deleting it through another path).
    pub fn invalidate(&self, token: &str) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(token);
        }
    }

    /// Forgets every cached key (after a user or team changes: their limits
    /// are part of every member key's cached record).
    pub fn invalidate_all(&self) {
        if let Ok(mut cache) = self.cache.write() {
            cache.clear();
        }
    }

    async fn lookup(&self, token: &str) -> Result<Arc<Authorized>, AuthError> {
        let now = self.store.now_ms();
        let cached = self.cache.read().ok().and_then(|c| c.get(token).cloned());
        if let Some((auth, at)) = &cached {
            if now - at < self.policy.fresh_for_ms {
                return Ok(auth.clone());
            }
        }
        match self.load(token).await {
            Ok(Some(auth)) => {
                let auth = Arc::new(auth);
                if let Ok(mut cache) = self.cache.write() {
                    cache.insert(token.to_owned(), (auth.clone(), now));
                }
                Ok(auth)
            }
            Ok(None) => {
                self.invalidate(token);
                Err(AuthError::InvalidKey)
            }
            Err(e) => match cached {
                Some((auth, at)) if now - at < self.policy.usable_for_ms => {
                    tracing::warn!(error = %e, "database unreachable; serving key from cache");
                    Ok(auth)
                }
                _ => Err(AuthError::Unavailable(format!(
                    "key store unreachable: {e}"
                ))),
            },
        }
    }

    async fn load(&self, token: &str) -> Result<Option<Authorized>, ControlError> {
        let key = match self.store.key_info(token).await {
            Ok(k) => k,
            Err(ControlError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let team = match &key.team_id {
            Some(id) => Some(self.store.team_info(id).await?),
            None => None,
        };
        let user = match &key.user_id {
            Some(id) => Some(self.store.user_info(id).await?),
            None => None,
        };
        Ok(Some(Authorized { key, team, user }))
    }
}
