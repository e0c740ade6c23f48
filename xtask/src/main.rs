//! Developer tasks. `cargo xtask catalog-import PATH...` turns LiteLLM's
//! published data files into llmrelay's own manifest under `catalog/`.
//!
//! The output is diff-friendly: one provider per file, one model per line,
//! lines sorted by key and keys sorted within a line, so re-importing an
//! unchanged input rewrites identical bytes and a price change is a one-line diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use llmrelay_catalog::litellm_format::entries_from_manifest;
use llmrelay_catalog::schema::{ModelEntry, ProviderEntry};
use serde_json::{Map, Value};

type TaskResult<T> = Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("catalog-import") => catalog_import(&args[1..]),
        _ => Err(String::from(
            "usage: cargo xtask catalog-import MODEL_PRICES.json [OPENAI_LIKE_PROVIDERS.json] [PROVIDER_ENDPOINTS.json]",
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The LiteLLM inputs, told apart by their shape rather than their names.
#[derive(Default)]
struct Inputs {
    models: Option<Value>,
    openai_like: Option<Value>,
    endpoints: Option<Value>,
}

fn catalog_import(paths: &[String]) -> TaskResult<()> {
    let mut inputs = Inputs::default();
    let mut model_text = None;
    for path in paths {
        let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        if value.get("providers").is_some() && value.get("_schema").is_some() {
            inputs.endpoints = Some(value);
        } else if value
            .as_object()
            .is_some_and(|o| o.values().all(|v| v.get("base_url").is_some()))
        {
            inputs.openai_like = Some(value);
        } else {
            model_text = Some(text);
            inputs.models = Some(value);
        }
    }
    let model_text = model_text.ok_or("no model manifest among the inputs")?;
    let root = workspace_root()?;
    let catalog = root.join("catalog");

    let mut models = entries_from_manifest(&model_text).map_err(|e| e.to_string())?;
    apply_model_overrides(&mut models, &catalog.join("overrides.jsonl"))?;
    let dangling: Vec<&str> = models
        .iter()
        .filter(|m| m.provider.is_empty() && m.alias_of.is_some())
        .map(|m| m.key.as_str())
        .collect();
    if !dangling.is_empty() {
        return Err(format!("aliases whose target is missing: {dangling:?}"));
    }
    // Entries with neither provider nor alias are manifest metadata (routing
    // rules), not models: kept verbatim beside the catalog, never compiled in.
    let (metadata, models): (Vec<ModelEntry>, Vec<ModelEntry>) =
        models.into_iter().partition(|m| m.provider.is_empty());
    let lines = metadata
        .iter()
        .map(|e| serde_json::to_string(e).map_err(|e| e.to_string()))
        .collect::<TaskResult<Vec<_>>>()?;
    write_lines(&catalog.join("metadata.jsonl"), &lines)?;

    let model_providers: BTreeSet<String> = models.iter().map(|m| m.provider.clone()).collect();
    let providers = build_providers(
        &inputs,
        &model_providers,
        &catalog.join("provider_overrides.jsonl"),
    )?;

    let models_dir = catalog.join("models");
    if models_dir.exists() {
        fs::remove_dir_all(&models_dir).map_err(|e| format!("{}: {e}", models_dir.display()))?;
    }
    fs::create_dir_all(&models_dir).map_err(|e| format!("{}: {e}", models_dir.display()))?;
    let mut by_provider: BTreeMap<&str, Vec<&ModelEntry>> = BTreeMap::new();
    for m in &models {
        by_provider.entry(m.provider.as_str()).or_default().push(m);
    }
    for (provider, mut entries) in by_provider {
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let lines = entries
            .iter()
            .map(|e| serde_json::to_string(e).map_err(|e| e.to_string()))
            .collect::<TaskResult<Vec<_>>>()?;
        write_lines(&models_dir.join(format!("{provider}.jsonl")), &lines)?;
    }
    let lines = providers
        .iter()
        .map(|p| serde_json::to_string(p).map_err(|e| e.to_string()))
        .collect::<TaskResult<Vec<_>>>()?;
    write_lines(&catalog.join("providers.jsonl"), &lines)?;
    println!(
        "catalog: {} models over {} providers written to {}",
        models.len(),
        providers.len(),
        catalog.display()
    );
    Ok(())
}

fn workspace_root() -> TaskResult<PathBuf> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?;
    Path::new(&manifest_dir)
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| String::from("xtask has no parent directory"))
}

fn write_lines(path: &Path, lines: &[String]) -> TaskResult<()> {
    let mut text = lines.join("\n");
    text.push('\n');
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a hand-kept JSON-lines file of partial objects (missing file: none).
fn read_partials(path: &Path) -> TaskResult<Vec<Map<String, Value>>> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| match serde_json::from_str(l) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(format!(
                "{}:{}: expected a JSON object",
                path.display(),
                n + 1
            )),
            Err(e) => Err(format!("{}:{}: {e}", path.display(), n + 1)),
        })
        .collect()
}

/// Merges `patch` into `base`: objects one level deep are merged key by key,
/// `null` removes a field, anything else replaces it.
fn merge_json(base: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (k, v) in patch {
        match (base.get_mut(&k), v) {
            (_, Value::Null) => {
                base.remove(&k);
            }
            (Some(Value::Object(old)), Value::Object(new)) => {
                for (nk, nv) in new {
                    if nv.is_null() {
                        old.remove(&nk);
                    } else {
                        old.insert(nk, nv);
                    }
                }
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn apply_model_overrides(models: &mut Vec<ModelEntry>, path: &Path) -> TaskResult<()> {
    for patch in read_partials(path)? {
        let key = patch
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{}: every override needs a `key`", path.display()))?
            .to_string();
        let position = models.iter().position(|m| m.key == key);
        let mut base = match position {
            Some(i) => to_object(&models[i])?,
            None => Map::new(),
        };
        merge_json(&mut base, patch);
        let entry: ModelEntry = serde_json::from_value(Value::Object(base))
            .map_err(|e| format!("{}: override of `{key}`: {e}", path.display()))?;
        match position {
            Some(i) => models[i] = entry,
            None => models.push(entry),
        }
    }
    Ok(())
}

fn to_object(value: &ModelEntry) -> TaskResult<Map<String, Value>> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        Value::Object(map) => Ok(map),
        _ => Err(String::from("expected an object")),
    }
}

fn build_providers(
    inputs: &Inputs,
    model_providers: &BTreeSet<String>,
    overrides: &Path,
) -> TaskResult<Vec<ProviderEntry>> {
    let mut rows: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let row = |name: &str| -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("name".into(), name.into());
        m.insert("api".into(), "native".into());
        m
    };
    for name in model_providers {
        rows.insert(name.clone(), row(name));
    }
    if let Some(Value::Object(endpoints)) =
        inputs.endpoints.as_ref().and_then(|e| e.get("providers"))
    {
        for (name, info) in endpoints {
            let entry = rows.entry(name.clone()).or_insert_with(|| row(name));
            if let Some(display) = info.get("display_name").and_then(Value::as_str) {
                // "OpenAI (`openai`)" -> "OpenAI"
                let display = display.split(" (`").next().unwrap_or(display);
                entry.insert("display_name".into(), display.into());
            }
            if let Some(Value::Object(served)) = info.get("endpoints") {
                let served: Vec<Value> = served
                    .iter()
                    .filter(|(_, on)| on.as_bool() == Some(true))
                    .map(|(e, _)| Value::from(e.as_str()))
                    .collect();
                entry.insert("endpoints".into(), Value::Array(served));
            }
        }
    }
    if let Some(Value::Object(like)) = &inputs.openai_like {
        for (name, info) in like {
            let entry = rows.entry(name.clone()).or_insert_with(|| row(name));
            entry.insert("api".into(), "openai_compatible".into());
            let Value::Object(fields) = info else {
                continue;
            };
            let mut extra = Map::new();
            for (k, v) in fields {
                match k.as_str() {
                    "base_url" | "api_key_env" | "api_base_env" => {
                        entry.insert(k.clone(), v.clone());
                    }
                    "param_mappings" => {
                        entry.insert("param_renames".into(), v.clone());
                    }
                    "special_handling"
                        if v.get("convert_content_list_to_string") == Some(&Value::Bool(true)) =>
                    {
                        entry.insert("content_as_string".into(), true.into());
                    }
                    _ => {
                        extra.insert(k.clone(), v.clone());
                    }
                }
            }
            if !extra.is_empty() {
                entry.insert("extra".into(), Value::Object(extra));
            }
        }
    }
    for patch in read_partials(overrides)? {
        let name = patch
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{}: every override needs a `name`", overrides.display()))?
            .to_string();
        let entry = rows.entry(name.clone()).or_insert_with(|| row(&name));
        merge_json(entry, patch);
    }
    rows.into_iter()
        .map(|(name, map)| {
            serde_json::from_value(Value::Object(map))
                .map_err(|e| format!("provider `{name}`: {e}"))
        })
        .collect()
}
