//! A fresh process's first token count: `cargo run --release -p
//! llmrelay-tokens --example first_count [ENCODING] [TEXT]`. Prints the count
//! and how long the first and a second count took, for BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use llmrelay_tokens::{count_text, Encoding};

fn main() {
    let mut args = std::env::args().skip(1);
    let enc: Encoding = args
        .next()
        .as_deref()
        .unwrap_or("o200k_base")
        .parse()
        .unwrap();
    let text = args.next().unwrap_or_else(|| "hi".to_owned());
    let start = Instant::now();
    let first = count_text(enc, &text);
    let first_took = start.elapsed();
    let again = Instant::now();
    let second = count_text(enc, &text);
    let second_took = again.elapsed();
    assert_eq!(first, second);
    println!(
        "{enc} {first} tokens; first count {:.3} ms, second {:.3} ms",
        first_took.as_secs_f64() * 1e3,
        second_took.as_secs_f64() * 1e3
    );
}
