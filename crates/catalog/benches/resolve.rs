#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Catalog lookups: `resolve` of known names (target ≤ 200 ns) and the
//! "did you mean" scan for unknown ones (target ≤ 1 ms over the whole catalog).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use llmrelay_catalog::{resolve, suggest};

fn bench_resolve(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve");
    for name in [
        "gpt-4o",
        "claude-sonnet-4-5",
        "anthropic/claude-sonnet-4-5",
        "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "azure/my-deployment",
    ] {
        group.bench_function(name, |b| b.iter(|| resolve(black_box(name))));
    }
    group.finish();
}

fn bench_suggest(c: &mut Criterion) {
    let mut group = c.benchmark_group("suggest");
    for name in [
        "claud-3-5-sonet",
        "gpt4o",
        "gemini-2.5-prro",
        "totally-unknown-model-name-x",
    ] {
        group.bench_function(name, |b| b.iter(|| suggest(black_box(name), 3)));
    }
    let long = "x".repeat(10_000);
    group.bench_function("10k-char name (resolve error)", |b| {
        b.iter(|| resolve(black_box(&long)))
    });
    group.finish();
}

criterion_group!(benches, bench_resolve, bench_suggest);
criterion_main!(benches);
