//! Lays the tiktoken vocabularies out as pointer-free tables at build time,
//! so the first token count of a process decodes nothing.
//!
//! Input: `vocab/<encoding>.tiktoken` (OpenAI's published rank files: one
//! base64 token and its rank per line). Output, in `OUT_DIR`, per encoding:
//! - `<encoding>.bytes`: every token's bytes, concatenated in rank order;
//! - `<encoding>.offsets`: `u32` little-endian, rank `r`'s bytes are
//!   `bytes[offsets[r]..offsets[r + 1]]` (an empty range: no such rank);
//! - `<encoding>.slots`: an open-addressing hash table (`src/table_hash.rs`,
//!   linear probing) of `u32` little-endian, `rank + 1` per slot, 0 for empty.
//!
//! The crate includes them with `include_bytes!`: they sit in the binary's
//! read-only data and are paged in only where a lookup touches them.

use std::error::Error;
use std::fs;
use std::path::Path;

#[path = "src/table_hash.rs"]
#[allow(dead_code)]
mod table_hash;

const ENCODINGS: [&str; 4] = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"];

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = std::env::var("OUT_DIR")?;
    for name in ENCODINGS {
        let source = format!("vocab/{name}.tiktoken");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source)?;
        let tokens = parse(&text).map_err(|e| format!("{source}: {e}"))?;
        write_tables(Path::new(&out_dir), name, &tokens)?;
    }
    println!("cargo:rerun-if-changed=src/table_hash.rs");
    Ok(())
}

/// The tokens of a rank file, indexed by rank (`None` for a rank it skips).
fn parse(text: &str) -> Result<Vec<Option<Vec<u8>>>, String> {
    let mut tokens: Vec<Option<Vec<u8>>> = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let (encoded, rank) = line
            .split_once(' ')
            .ok_or_else(|| format!("line {}: no rank", n + 1))?;
        let rank: usize = rank
            .parse()
            .map_err(|e| format!("line {}: rank: {e}", n + 1))?;
        let bytes = decode_base64(encoded).ok_or_else(|| format!("line {}: bad base64", n + 1))?;
        if bytes.is_empty() {
            return Err(format!("line {}: empty token", n + 1));
        }
        if tokens.len() <= rank {
            tokens.resize(rank + 1, None);
        }
        if tokens[rank].replace(bytes).is_some() {
            return Err(format!("line {}: rank {rank} given twice", n + 1));
        }
    }
    Ok(tokens)
}

fn write_tables(dir: &Path, name: &str, tokens: &[Option<Vec<u8>>]) -> Result<(), Box<dyn Error>> {
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity((tokens.len() + 1) * 4);
    offsets.extend_from_slice(&0u32.to_le_bytes());
    for token in tokens {
        bytes.extend_from_slice(token.as_deref().unwrap_or_default());
        offsets.extend_from_slice(&u32::try_from(bytes.len())?.to_le_bytes());
    }
    let slots = table_hash::slots_for(tokens.len());
    let mut table = vec![0u32; slots];
    for (rank, token) in tokens.iter().enumerate() {
        let Some(token) = token else { continue };
        let mut slot = table_hash::start_slot(token, slots);
        while table[slot] != 0 {
            slot = (slot + 1) & (slots - 1);
        }
        table[slot] = u32::try_from(rank + 1)?;
    }
    let table: Vec<u8> = table.iter().flat_map(|v| v.to_le_bytes()).collect();
    fs::write(dir.join(format!("{name}.bytes")), bytes)?;
    fs::write(dir.join(format!("{name}.offsets")), offsets)?;
    fs::write(dir.join(format!("{name}.slots")), table)?;
    Ok(())
}

/// Standard base64 (with `=` padding), as the rank files use.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.chunks(4) {
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 {
            return None;
        }
        let mut group = 0u32;
        for &c in &chunk[..4 - padding] {
            group = (group << 6) | value(c)?;
        }
        group <<= 6 * padding as u32;
        let decoded = [(group >> 16) as u8, (group >> 8) as u8, group as u8];
        out.extend_from_slice(&decoded[..3 - padding]);
    }
    Some(out)
}
