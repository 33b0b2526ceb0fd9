//! Interned strings for the metadata thousands of sessions share: working directories, model
//! names, CLI versions, originators, git branches and origins.
//!
//! Ten thousand sessions typically hold a few dozen distinct values of each; interning turns
//! ~400 bytes of small heap allocations per session into one shared copy, and re-reading a
//! growing file (every `turn_context` line repeats the cwd and model) allocates nothing.
//!
//! The pool is global so that deserializing (the warm-start cache) interns too. Atoms nobody
//! holds are dropped by [`purge`], which the scanner calls after each full reconcile.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

/// A shared, immutable string. Compares and hashes by content.
///
/// A thin pointer (8 bytes, `None` free): a record holds eleven optional atoms, and an
/// `Arc<str>` would be 16 bytes each (BENCHMARKS.md, "Daemon memory (session 5)"). Reading
/// one follows one more pointer, which nothing hot does.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom(Arc<Box<str>>);

static POOL: LazyLock<Mutex<HashSet<Atom>>> = LazyLock::new(Mutex::default);

impl Atom {
    pub fn new(s: &str) -> Atom {
        let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(a) = pool.get(s) {
            return a.clone();
        }
        let a = Atom(Arc::new(s.into()));
        pool.insert(a.clone());
        a
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Drop the atoms only the pool still holds; returns how many remain.
pub fn purge() -> usize {
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    pool.retain(|a| Arc::strong_count(&a.0) > 1);
    pool.shrink_to_fit();
    pool.len()
}

/// Approximate heap bytes of the pool and its strings ([`codexd_route::memory`]).
pub fn memory() -> usize {
    use codexd_route::memory::size_class;
    let pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    let table = (pool.capacity() * 8 / 7).next_power_of_two() * (size_of::<Atom>() + 1);
    let atom = size_class(16 + size_of::<Box<str>>());
    size_class(table)
        + pool
            .iter()
            .map(|a| atom + size_class(a.len()))
            .sum::<usize>()
}

impl Deref for Atom {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// The pool finds an atom by its text.
impl Borrow<str> for Atom {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Atom {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Atom {
    fn from(s: &str) -> Atom {
        Atom::new(s)
    }
}

impl From<Atom> for String {
    fn from(a: Atom) -> String {
        a.as_str().to_owned()
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl serde::Serialize for Atom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Atom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Atom, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Atom;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Atom, E> {
                Ok(Atom::new(s))
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_allocation_until_purged() {
        let a = Atom::new("atom-test-/home/u/project");
        let b = Atom::new(&String::from("atom-test-/home/u/project"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(&*a, "atom-test-/home/u/project");
        drop((a, b));
        purge();
        let pool = POOL.lock().unwrap();
        assert!(!pool.contains("atom-test-/home/u/project"));
    }

    #[test]
    fn an_optional_atom_is_one_pointer() {
        assert_eq!(size_of::<Option<Atom>>(), size_of::<usize>());
    }

    #[test]
    fn round_trips_through_json_as_a_plain_string() {
        let a = Atom::new("gpt-5.1-codex");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"gpt-5.1-codex\"");
        let back: Atom = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        assert!(Arc::ptr_eq(&back.0, &a.0));
    }
}
