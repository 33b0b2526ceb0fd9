//! A tiny seeded PRNG.
//!
//! We keep our own generator instead of depending on `rand`/`fastrand` because the corpus must be
//! byte-identical for a given seed *forever*: a dependency bump that changes its stream would
//! silently change every benchmark corpus. wyrand is small, fast and statistically fine for
//! picking words and sizes. Only integer arithmetic is used (no `ln`/`cos`, whose last bits can
//! differ between libm builds), so output is identical on every platform.

/// wyrand (the generator `fastrand` uses), plus the helpers the corpus needs.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // One SplitMix64 round so that nearby seeds (0, 1, 2 …) start far apart.
        Rng(splitmix(seed))
    }

    /// A child generator for stream `index`; used so that session `i` gets the same bytes no
    /// matter which thread renders it or in which order.
    pub fn derive(seed: u64, stream: u64) -> Self {
        Rng::new(splitmix(seed ^ splitmix(stream.wrapping_add(0x5151_5151))))
    }

    pub fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }

    /// Uniform in `0..n` (`n > 0`), via the widening-multiply trick (bias is negligible here).
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn below_usize(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        lo + self.below(hi - lo + 1)
    }

    pub fn range_usize(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as u64, hi as u64) as usize
    }

    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniformly chosen element (copied; use [`Rng::pick_ref`] for non-`Copy` items).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below_usize(items.len())]
    }

    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below_usize(items.len())]
    }

    /// Pick an index by integer weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    pub fn fill_bytes(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a, to turn a string (a session id) into a seed.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_stable() {
        // Pin the stream: if this changes, every corpus changes.
        let mut r = Rng::new(42);
        let v: Vec<u64> = (0..3).map(|_| r.below(1000)).collect();
        let mut r2 = Rng::new(42);
        let v2: Vec<u64> = (0..3).map(|_| r2.below(1000)).collect();
        assert_eq!(v, v2);
        assert_ne!(Rng::derive(1, 0).u64(), Rng::derive(1, 1).u64());
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let mut r = Rng::new(7);
        let mut seen = [false; 4];
        for _ in 0..1000 {
            let x = r.range(3, 6);
            assert!((3..=6).contains(&x));
            seen[(x - 3) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(r.weighted(&[0, 5, 0]), 1);
    }
}
