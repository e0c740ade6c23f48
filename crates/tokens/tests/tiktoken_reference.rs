#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The build-time tables and merge loop against tiktoken-rs (the reference
//! implementation this crate used before): identical ids for large random
//! and real texts in every encoding, and identical decoding.

use llmrelay_tokens::{decode, encode, Encoding};
use tiktoken_rs::CoreBPE;

fn reference(enc: Encoding) -> &'static CoreBPE {
    match enc {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        Encoding::P50kBase => tiktoken_rs::p50k_base_singleton(),
        Encoding::R50kBase => tiktoken_rs::r50k_base_singleton(),
    }
}

/// xorshift64*: a fixed, seedable stream, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Text that exercises every branch of the splitting patterns: words in
/// several scripts and cases, contractions, digits, punctuation runs,
/// every kind of whitespace and line break, combining marks and emoji.
fn random_text(rng: &mut Rng, chars: usize) -> String {
    const PIECES: &[&str] = &[
        "the",
        "The",
        "THE",
        "quick",
        "Ünïcödé",
        "naïve",
        "straße",
        "日本語",
        "中文",
        "한국어",
        "Привет",
        "مرحبا",
        "עברית",
        "हिन्दी",
        "'s",
        "'T",
        "'re",
        "'VE",
        "'ll",
        "'d",
        "'m",
        "0",
        "42",
        "1234567",
        "3.14159",
        "½",
        "٣",
        " ",
        "  ",
        "   ",
        "\t",
        "\n",
        "\r\n",
        "\n\n\n",
        "\u{a0}",
        "\u{3000}",
        "\u{2028}",
        " \n ",
        "!",
        "?!",
        "...",
        "---",
        "/*",
        "*/",
        "{}",
        "()",
        "<|endoftext|>",
        "<|fim_prefix|>",
        "😀",
        "👨‍👩‍👧",
        "🇫🇷",
        "e\u{301}",
        "a\u{308}\u{332}",
        "https://example.com/a?b=c",
        "snake_case",
        "camelCase",
        "x86_64",
        "\u{200b}",
        "\u{feff}",
        "$",
        "€",
        "™",
        "©",
        "\\",
        "\"",
        "`",
        "~",
        "^",
        "|",
    ];
    let mut out = String::new();
    while out.chars().count() < chars {
        match rng.below(10) {
            0 => out.push(char::from_u32(rng.below(0x2_0000) as u32).unwrap_or('?')),
            1 => out.push(char::from(b' ' + rng.below(95) as u8)),
            _ => out.push_str(PIECES[rng.below(PIECES.len())]),
        }
    }
    out
}

fn check(enc: Encoding, text: &str) {
    let ours = encode(enc, text).unwrap();
    let theirs = reference(enc).encode_ordinary(text);
    assert_eq!(
        ours,
        theirs,
        "{enc}: {:?}",
        text.chars().take(200).collect::<String>()
    );
    let bytes = reference(enc).decode_bytes(&theirs).unwrap();
    assert_eq!(decode(enc, &ours).unwrap(), String::from_utf8_lossy(&bytes));
}

#[test]
fn random_texts_encode_as_tiktoken() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for enc in Encoding::ALL {
        for round in 0..150 {
            let len = [1, 7, 64, 500, 3_000][round % 5];
            check(enc, &random_text(&mut rng, len));
        }
    }
}

#[test]
fn real_texts_encode_as_tiktoken() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let files = [
        "README.md",
        "docs/ARCHITECTURE.md",
        "crates/tokens/src/bpe.rs",
        "crates/catalog/src/cost/generic.rs",
        "python/llmrelay/__init__.pyi",
        "catalog/models/openai.jsonl",
    ];
    let mut total = 0;
    for file in files {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        total += text.len();
        for enc in Encoding::ALL {
            check(enc, &text);
        }
    }
    assert!(total > 200_000, "only {total} bytes of real text");
}

#[test]
fn every_token_decodes_as_tiktoken() {
    for enc in [Encoding::Cl100kBase, Encoding::O200kBase] {
        let ids: Vec<u32> = (0..210_000)
            .filter(|&id| reference(enc).decode_bytes(&[id]).is_ok())
            .collect();
        assert!(ids.len() > 100_000);
        for chunk in ids.chunks(997) {
            let theirs = reference(enc).decode_bytes(chunk).unwrap();
            assert_eq!(
                decode(enc, chunk).unwrap(),
                String::from_utf8_lossy(&theirs),
                "{enc}"
            );
        }
        assert!(decode(enc, &[ids[ids.len() - 1] + 1_000]).is_err());
    }
}
