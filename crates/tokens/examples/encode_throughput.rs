//! Encoding throughput against tiktoken-rs on the same text, in one run:
//! `cargo run --release -p llmrelay-tokens --example encode_throughput [FILE]`
//! (default: the repository's README and ARCHITECTURE, repeated to ~4 MB).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use llmrelay_tokens::{encode, Encoding};

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path).unwrap(),
        None => {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
            let one = ["README.md", "docs/ARCHITECTURE.md", "BENCHMARKS.md"]
                .iter()
                .map(|f| std::fs::read_to_string(format!("{root}/{f}")).unwrap())
                .collect::<String>();
            one.repeat(4_000_000 / one.len() + 1)
        }
    };
    let mb = text.len() as f64 / 1e6;
    for (enc, reference) in [
        (Encoding::O200kBase, tiktoken_rs::o200k_base_singleton()),
        (Encoding::Cl100kBase, tiktoken_rs::cl100k_base_singleton()),
    ] {
        // Warm both (tables paged in, patterns compiled) before timing.
        let ours_ids = encode(enc, &text).unwrap();
        let theirs_ids = reference.encode_ordinary(&text);
        assert_eq!(ours_ids, theirs_ids);
        let start = Instant::now();
        let n = encode(enc, &text).unwrap().len();
        let ours = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let m = reference.encode_ordinary(&text).len();
        let theirs = start.elapsed().as_secs_f64();
        assert_eq!(n, m);
        println!(
            "{enc}: {mb:.1} MB, {n} tokens: llmrelay {:.1} MB/s, tiktoken-rs {:.1} MB/s ({:.2}x)",
            mb / ours,
            mb / theirs,
            theirs / ours
        );
    }
}
