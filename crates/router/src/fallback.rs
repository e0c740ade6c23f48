//! Which groups to try after a group failed: by error kind
//! (`context_window_fallbacks`, `content_policy_fallbacks`), else the call's
//! `fallbacks`, else the configured ones for the group (or `*`), else
//! `default_fallbacks`; at most `max_fallbacks`.

use llmrelay::{Error, ErrorKind};

use crate::config::{FallbackMap, RouterSettings};
use crate::routed::RouteOptions;

fn for_group<'s>(map: &'s FallbackMap, group: &str) -> Option<&'s [String]> {
    map.iter()
        .find(|(g, _)| g == group)
        .or_else(|| map.iter().find(|(g, _)| g == "*"))
        .map(|(_, to)| to.as_slice())
}

/// The fallback groups for `group` after `error`, in order.
pub(crate) fn plan(
    settings: &RouterSettings,
    options: &RouteOptions,
    group: &str,
    error: &Error,
) -> Vec<String> {
    if options.disable_fallbacks {
        return Vec::new();
    }
    let by_kind = match error.kind {
        ErrorKind::ContextWindowExceeded => for_group(&settings.context_window_fallbacks, group),
        ErrorKind::ContentPolicyViolation => for_group(&settings.content_policy_fallbacks, group),
        _ => None,
    };
    let list = by_kind
        .or(options.fallbacks.as_deref())
        .or_else(|| for_group(&settings.fallbacks, group))
        .unwrap_or(&settings.default_fallbacks);
    list.iter()
        .filter(|g| g.as_str() != group)
        .take(settings.max_fallbacks)
        .cloned()
        .collect()
}
