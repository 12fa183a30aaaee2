//! The request stream: a Zipf key sampler over the shared seeded generator.
//!
//! The same simulation runs on the server (to render the first state) and in the browser (to
//! hydrate and carry on), so every number here must come out bit-identical on both. Floating
//! point `+ - * /` are exact IEEE operations everywhere, but `powf`, `ln` and `exp` come from
//! different maths libraries natively and in WASM; the Zipf weights therefore use the small
//! `ln`/`exp` below, written with basic arithmetic only.

pub use crate::sim::random::SplitMix64;

/// Draws key ranks `0..keys` with probability proportional to `1 / (rank + 1)^skew`.
///
/// The cumulative distribution is computed once and kept as 32-bit fixed point (4 bytes a
/// key, so a million keys cost 4 MB); a draw is one random number and a binary search, with
/// no allocation.
#[derive(Clone, Debug)]
pub struct ZipfSampler {
    cumulative: Vec<u32>,
}

impl ZipfSampler {
    pub fn new(keys: u32, skew: f64) -> Self {
        let keys = keys.max(1) as usize;
        let weight = |rank: usize| exp(-skew * ln((rank + 1) as f64));
        let total: f64 = (0..keys).map(weight).sum();
        let mut running = 0.0;
        let mut cumulative = Vec::with_capacity(keys);
        for rank in 0..keys {
            running += weight(rank);
            let scaled = (running / total * f64::from(u32::MAX)).floor();
            cumulative.push(scaled.min(f64::from(u32::MAX)) as u32);
        }
        if let Some(last) = cumulative.last_mut() {
            *last = u32::MAX; // rounding must never leave a draw without a key
        }
        ZipfSampler { cumulative }
    }

    pub fn keys(&self) -> u32 {
        self.cumulative.len() as u32
    }

    pub fn sample(&self, rng: &mut SplitMix64) -> u32 {
        let draw = rng.next_u32();
        self.cumulative.partition_point(|&bound| bound < draw) as u32
    }

    /// The share of draws that land on the `top` most popular keys.
    pub fn share_of_top(&self, top: u32) -> f64 {
        match top {
            0 => 0.0,
            top if top >= self.keys() => 1.0,
            top => f64::from(self.cumulative[top as usize - 1]) / f64::from(u32::MAX),
        }
    }
}

const LN_2: f64 = std::f64::consts::LN_2;

/// Natural logarithm for `x > 0` from basic arithmetic only (see the module comment).
pub fn ln(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return f64::NAN;
    }
    // x = m * 2^e with m in [1, 2), from the bits; then move m into [0.707, 1.414).
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if exponent == -1023 {
        // Subnormal: scale up first.
        return ln(x * 18_014_398_509_481_984.0) - 54.0 * LN_2;
    }
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa /= 2.0;
        exponent += 1;
    }
    // ln(m) = 2 atanh(z) with z = (m - 1) / (m + 1), |z| < 0.172: the series converges fast.
    let z = (mantissa - 1.0) / (mantissa + 1.0);
    let z2 = z * z;
    let mut term = z;
    let mut sum = 0.0;
    let mut denominator = 1.0;
    for _ in 0..12 {
        sum += term / denominator;
        term *= z2;
        denominator += 2.0;
    }
    exponent as f64 * LN_2 + 2.0 * sum
}

/// `e^y` from basic arithmetic only (see the module comment).
pub fn exp(y: f64) -> f64 {
    if y.is_nan() {
        return f64::NAN;
    }
    if y < -745.0 {
        return 0.0;
    }
    if y > 709.0 {
        return f64::INFINITY;
    }
    // y = k ln 2 + r with |r| <= ln 2 / 2; e^y = 2^k e^r.
    let k = (y / LN_2 + 0.5).floor();
    let r = y - k * LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=18 {
        term *= r / f64::from(n);
        sum += term;
    }
    let mut k = k as i64;
    let mut result = sum;
    // Multiply by 2^k in steps that stay within the normal exponent range.
    while k > 1000 {
        result *= f64::from_bits(((1000 + 1023) as u64) << 52);
        k -= 1000;
    }
    while k < -1000 {
        result *= f64::from_bits(((-1000i64 + 1023) as u64) << 52);
        k += 1000;
    }
    result * f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_and_exp_match_the_standard_library_closely() {
        for x in [
            1e-300, 1e-5, 0.1, 0.5, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e6, 1e300,
        ] {
            let ours = ln(x);
            let theirs = x.ln();
            assert!(
                (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1.0),
                "ln {x}: {ours} vs {theirs}"
            );
        }
        for y in [-700.0, -20.0, -1.0, -0.1, 0.0, 0.3, 1.0, 5.5, 50.0, 700.0] {
            let ours = exp(y);
            let theirs = f64::exp(y);
            assert!(
                (ours - theirs).abs() <= 1e-12 * theirs,
                "exp {y}: {ours} vs {theirs}"
            );
        }
        assert_eq!(exp(-800.0), 0.0);
        assert!(ln(0.0).is_nan());
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let mut c = SplitMix64::new(8);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let again: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let other: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(first, again);
        assert_ne!(first, other);
    }

    #[test]
    fn unit_and_below_stay_in_range() {
        let mut rng = SplitMix64::new(3);
        for _ in 0..10_000 {
            let unit = rng.next_unit();
            assert!((0.0..1.0).contains(&unit));
            assert!(rng.below(7) < 7);
        }
    }

    #[test]
    fn zipf_draws_follow_popularity() {
        for seed in 0..20 {
            let zipf = ZipfSampler::new(1000, 1.1);
            let mut rng = SplitMix64::new(seed);
            let mut counts = vec![0u32; 1000];
            for _ in 0..20_000 {
                let key = zipf.sample(&mut rng);
                assert!(key < 1000);
                counts[key as usize] += 1;
            }
            // Rank 0 is drawn about twice as often as rank 1 (2^1.1 = 2.14) and far more than
            // the median key.
            assert!(
                counts[0] > counts[1] * 3 / 2,
                "seed {seed}: {:?}",
                &counts[..3]
            );
            assert!(counts[0] > 50 * counts[500].max(1), "seed {seed}");
            let top_hundred: u32 = counts[..100].iter().sum();
            let expected = zipf.share_of_top(100) * 20_000.0;
            assert!(
                (f64::from(top_hundred) - expected).abs() < 0.03 * 20_000.0,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn zero_skew_is_uniform_and_one_key_always_wins() {
        let zipf = ZipfSampler::new(4, 0.0);
        assert!((zipf.share_of_top(1) - 0.25).abs() < 1e-6);
        assert!((zipf.share_of_top(2) - 0.5).abs() < 1e-6);
        let single = ZipfSampler::new(1, 3.0);
        let mut rng = SplitMix64::new(1);
        assert!((0..100).all(|_| single.sample(&mut rng) == 0));
    }

    #[test]
    fn url_shortener_page_figures_hold() {
        // content/worked-designs/url-shortener.md: 10,000 keys, skew 1.1: the top 20% take
        // about 89% of requests, the top half about 96%.
        let zipf = ZipfSampler::new(10_000, 1.1);
        assert!(
            (zipf.share_of_top(2_000) - 0.89).abs() < 0.01,
            "{}",
            zipf.share_of_top(2_000)
        );
        assert!(
            (zipf.share_of_top(5_000) - 0.96).abs() < 0.01,
            "{}",
            zipf.share_of_top(5_000)
        );
    }
}
