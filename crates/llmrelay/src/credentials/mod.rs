//! Credentials that need more than an environment variable: the AWS
//! credential chain (options, environment, shared credentials file), and
//! Google OAuth2 tokens for Vertex AI (`google`, the one part that does
//! network I/O, awaited by the client before a Vertex request is built).
//! Read when a call resolves its target, never at start-up, and never inside
//! a provider's translation.

pub(crate) mod aws;
pub(crate) mod google;
