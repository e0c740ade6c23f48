//! Deterministic embedding vectors for every fake: equal inputs embed equally, different
//! ones differently, each vector of length one.

/// One thing to embed.
pub(crate) enum Input<'a> {
    Text(&'a str),
    Tokens(Vec<u64>),
}

/// A vector of length one that depends only on the input, so equal inputs embed equally.
pub(crate) fn unit_vector(input: &Input<'_>, dimensions: usize) -> Vec<f32> {
    // FNV-1a over the input, then a SplitMix64 sequence from it.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |byte: u8| {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    match input {
        Input::Text(text) => text.bytes().for_each(&mut feed),
        Input::Tokens(ids) => ids
            .iter()
            .flat_map(|id| id.to_le_bytes())
            .for_each(&mut feed),
    }
    let mut state = hash;
    let raw: Vec<f64> = (0..dimensions)
        .map(|_| {
            let r = crate::ids::splitmix64(&mut state);
            // 53 random bits to [-1, 1).
            (r >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        })
        .collect();
    let norm = raw.iter().map(|x| x * x).sum::<f64>().sqrt();
    raw.iter()
        .map(|x| if norm > 0.0 { (x / norm) as f32 } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_unit_length_and_deterministic() {
        let a = unit_vector(&Input::Text("hello"), 64);
        let b = unit_vector(&Input::Text("hello"), 64);
        let c = unit_vector(&Input::Text("hellp"), 64);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
    }
}
