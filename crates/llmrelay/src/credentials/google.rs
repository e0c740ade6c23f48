//! OAuth2 access tokens for Vertex AI, from a service-account key (the
//! `vertex_credentials` option or `VERTEXAI_CREDENTIALS`: the JSON document
//! or its path) or from application default credentials
//! (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's ADC file, the metadata
//! server), through the `gcp_auth` crate.
//!
//! Nothing happens at start-up: the first Vertex call finds the credentials
//! and fetches a token; `gcp_auth` caches it and refreshes it before it
//! expires, as long as the [`GoogleAuth`] (owned by the `Client`) lives.
//! A call that passes `api_key` brings its own bearer token and skips all this.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use gcp_auth::{CustomServiceAccount, TokenProvider};
use tokio::sync::OnceCell;

use crate::error::{Error, ErrorKind};
use crate::options::Secret;

/// The scope Vertex AI's API wants.
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// Token sources of one client, created on first use.
#[derive(Default)]
pub(crate) struct GoogleAuth {
    /// Application default credentials, looked up once.
    default: OnceCell<Arc<dyn TokenProvider>>,
    /// Service accounts passed per call, by their JSON or path.
    accounts: Mutex<HashMap<String, Arc<dyn TokenProvider>>>,
}

impl fmt::Debug for GoogleAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoogleAuth")
            .field("default_found", &self.default.initialized())
            .finish_non_exhaustive()
    }
}

/// A bearer token for Vertex AI and, when asked for, the project the
/// credentials belong to.
pub(crate) struct GoogleToken {
    pub token: Secret,
    pub project: Option<String>,
}

impl GoogleAuth {
    /// A token from `credentials` (a service-account document or its path),
    /// else from application default credentials. Errors name no provider or
    /// model: the caller adds them.
    pub(crate) async fn token(
        &self,
        credentials: Option<&Secret>,
        want_project: bool,
        timeout: Duration,
    ) -> Result<GoogleToken, Error> {
        let timed_out = || {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "no Google access token within {:.1}s",
                    timeout.as_secs_f64()
                ),
            )
        };
        // Finding default credentials may probe the metadata server; neither
        // that nor the token exchange may outlive the call's timeout.
        let provider = tokio::time::timeout(timeout, self.provider(credentials))
            .await
            .map_err(|_| timed_out())??;
        let token = tokio::time::timeout(timeout, provider.token(&[SCOPE]))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| auth_error("cannot get a Google access token", e))?;
        let project = if want_project {
            tokio::time::timeout(timeout, provider.project_id())
                .await
                .ok()
                .and_then(Result::ok)
                .map(|p| p.to_string())
        } else {
            None
        };
        Ok(GoogleToken {
            token: Secret::from(token.as_str()),
            project,
        })
    }

    async fn provider(
        &self,
        credentials: Option<&Secret>,
    ) -> Result<Arc<dyn TokenProvider>, Error> {
        let Some(credentials) = credentials.map(Secret::expose) else {
            return self
                .default
                .get_or_try_init(gcp_auth::provider)
                .await
                .cloned()
                .map_err(|e| auth_error("no Google credentials found", e));
        };
        let cached = self
            .accounts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(credentials)
            .cloned();
        if let Some(provider) = cached {
            return Ok(provider);
        }
        let account = if credentials.trim_start().starts_with('{') {
            CustomServiceAccount::from_json(credentials)
        } else {
            CustomServiceAccount::from_file(credentials)
        }
        .map_err(|e| auth_error("cannot read the Vertex service-account credentials", e))?;
        let provider: Arc<dyn TokenProvider> = Arc::new(account);
        self.accounts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(credentials.to_string(), Arc::clone(&provider));
        Ok(provider)
    }
}

/// An authentication error with the crate's message and its causes (which
/// name files and endpoints, never key material).
fn auth_error(what: &str, e: gcp_auth::Error) -> Error {
    let mut message = format!("{what}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Error::new(ErrorKind::Authentication, message).with_source(e)
}
