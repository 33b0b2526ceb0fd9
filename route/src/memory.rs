//! Approximate heap accounting of the big structures, for `core/examples/mem.rs` (where the
//! daemon's memory goes, BENCHMARKS.md). Counts what is allocated, rounded up to the
//! allocator's size classes; not a measurement, so it never needs to be exact.

use std::collections::HashMap;

/// Bytes the allocator hands out for a request of `n` (jemalloc's size classes: multiples of
/// 16 up to 128, then four classes per doubling).
pub fn size_class(n: usize) -> usize {
    match n {
        0 => 0,
        1..=8 => 8,
        9..=128 => n.div_ceil(16) * 16,
        _ => {
            let step = 1usize << ((n - 1).ilog2() - 2);
            n.div_ceil(step) * step
        }
    }
}

/// A vector's buffer.
pub fn vec_bytes<T>(v: &Vec<T>) -> usize {
    size_class(v.capacity() * size_of::<T>())
}

/// A hash map's table (hashbrown: a power of two of buckets, 7/8 full at most, one control
/// byte each), without what its keys and values own.
pub fn map_bytes<K, V, S>(m: &HashMap<K, V, S>) -> usize {
    if m.capacity() == 0 {
        return 0;
    }
    let buckets = (m.capacity() * 8 / 7).next_power_of_two();
    size_class(buckets * (size_of::<(K, V)>() + 1))
}

/// A string allocation shared through an `Arc` (two counters before the bytes).
pub fn arc_str_bytes(s: &str) -> usize {
    size_class(16 + s.len())
}

/// Named parts and their bytes, largest first when printed.
#[derive(Debug, Default)]
pub struct Report(pub Vec<(&'static str, usize)>);

impl Report {
    pub fn add(&mut self, part: &'static str, bytes: usize) {
        match self.0.iter_mut().find(|(p, _)| *p == part) {
            Some((_, b)) => *b += bytes,
            None => self.0.push((part, bytes)),
        }
    }

    pub fn total(&self) -> usize {
        self.0.iter().map(|(_, b)| b).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes() {
        let pairs = [
            (0, 0),
            (1, 8),
            (9, 16),
            (100, 112),
            (128, 128),
            (129, 160),
            (256, 256),
            (257, 320),
            (1000, 1024),
            (1025, 1280),
        ];
        for (n, class) in pairs {
            assert_eq!(size_class(n), class, "{n}");
        }
    }
}
