//! AWS credentials and region for Bedrock, in the order the AWS SDKs use:
//! explicit call options, then `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
//! / `AWS_SESSION_TOKEN`, then the shared credentials file
//! (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`, profile
//! `AWS_PROFILE` or `default`). Region: option, `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, the profile's `region` in `~/.aws/config`.

use std::path::PathBuf;

use crate::options::{AwsOptions, Secret};

/// What SigV4 needs to sign a Bedrock call.
/// Its secrets are [`Secret`]s, so `Debug` shows `***` for them.
#[derive(Debug, Clone)]
pub(crate) struct AwsAuth {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    pub region: String,
}

/// Why no credentials were found.
pub(crate) enum AwsAuthError {
    NoCredentials,
    NoRegion,
}

/// Resolves credentials and region; `region_hint` comes from the model name
/// (`bedrock/us-west-2/<model>`).
pub(crate) fn resolve(
    options: &AwsOptions,
    region_hint: Option<&str>,
) -> Result<AwsAuth, AwsAuthError> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let profile_name = options
        .profile_name
        .clone()
        .or_else(|| env("AWS_PROFILE"))
        .unwrap_or_else(|| String::from("default"));
    let from_options = match (&options.access_key_id, &options.secret_access_key) {
        (Some(id), Some(secret)) => {
            Some((id.clone(), secret.clone(), options.session_token.clone()))
        }
        _ => None,
    };
    let from_env = || match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Some((
            id,
            Secret::from(secret),
            env("AWS_SESSION_TOKEN").map(Secret::from),
        )),
        _ => None,
    };
    let from_file = || {
        let path = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".aws/credentials")))?;
        let section = ini_section(&std::fs::read_to_string(path).ok()?, &profile_name);
        let get = |k: &str| {
            section
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        Some((
            get("aws_access_key_id")?,
            Secret::from(get("aws_secret_access_key")?),
            get("aws_session_token").map(Secret::from),
        ))
    };
    let (access_key_id, secret_access_key, session_token) = from_options
        .or_else(from_env)
        .or_else(from_file)
        .ok_or(AwsAuthError::NoCredentials)?;
    let region_from_config = || {
        let path = env("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".aws/config")))?;
        let section_name = if profile_name == "default" {
            profile_name.clone()
        } else {
            format!("profile {profile_name}")
        };
        let section = ini_section(&std::fs::read_to_string(path).ok()?, &section_name);
        section
            .into_iter()
            .find(|(k, _)| k == "region")
            .map(|(_, v)| v)
    };
    let region = options
        .region_name
        .clone()
        .or_else(|| region_hint.map(str::to_string))
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(region_from_config)
        .ok_or(AwsAuthError::NoRegion)?;
    Ok(AwsAuth {
        access_key_id,
        secret_access_key,
        session_token,
        region,
    })
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// The `key = value` lines of `[section]` in an INI file.
fn ini_section(text: &str, section: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') && line.ends_with(']') {
            inside = line[1..line.len() - 1].trim() == section;
            continue;
        }
        if inside {
            if let Some((k, v)) = line.split_once('=') {
                out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_profile_only() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[work]\naws_access_key_id=C\naws_secret_access_key = D\n";
        let work = ini_section(text, "work");
        assert_eq!(
            work,
            vec![
                ("aws_access_key_id".into(), "C".into()),
                ("aws_secret_access_key".into(), "D".into())
            ]
        );
        assert!(ini_section(text, "missing").is_empty());
    }
}
