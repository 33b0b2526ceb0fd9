//! Which threads a Codex process holds open right now, found without touching Codex's files.
//!
//! Recent Codex releases keep `$CODEX_HOME/thread-writer-locks/<thread id>.lock` locked with
//! `flock` while a process is the live writer of a (paginated) thread; a second writer is
//! refused. A clean exit deletes the file, a killed process leaves it behind unlocked. Taking
//! the lock ourselves to test it could make a Codex that starts at that moment fail, so we
//! never do: on Linux the kernel lists every held lock in `/proc/locks` by device and inode,
//! and a lock file is held exactly when its inode is listed there. Elsewhere, an existing lock
//! file is taken as held (a process killed with SIGKILL then reads as running until the file
//! is removed), and the probe says it is not authoritative.

use std::collections::HashSet;
use std::os::unix::fs::{DirEntryExt, MetadataExt};
use std::path::Path;

use crate::table::Live;

/// The directory Codex keeps its per-thread writer locks in.
pub const LOCK_DIR: &str = "thread-writer-locks";

/// Probe the writer locks of `codex_home`. Costs one read of `/proc/locks` and, only when
/// some `flock` is held on this machine, one directory listing.
pub fn probe(codex_home: &Path) -> Live {
    let dir = codex_home.join(LOCK_DIR);
    match std::fs::read_to_string("/proc/locks") {
        Ok(table) => Live {
            locked: held_in(&dir, &flocks(&table)),
            authoritative: true,
        },
        Err(_) => Live {
            locked: lock_files(&dir).map(|(id, _)| id).collect(),
            authoritative: false,
        },
    }
}

/// (major, minor, inode) of every `FLOCK` lock the kernel lists as held.
fn flocks(table: &str) -> HashSet<(u64, u64, u64)> {
    table
        .lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            f.next()?; // "1:"
            let kind = f.next()?;
            // Waiters are listed as "1: -> FLOCK …": not held.
            if kind != "FLOCK" {
                return None;
            }
            let dev_ino = f.nth(3)?; // ADVISORY WRITE <pid> <maj:min:ino>
            let mut parts = dev_ino.split(':');
            let major = u64::from_str_radix(parts.next()?, 16).ok()?;
            let minor = u64::from_str_radix(parts.next()?, 16).ok()?;
            let inode = parts.next()?.parse().ok()?;
            Some((major, minor, inode))
        })
        .collect()
}

/// Threads whose lock file in `dir` is one of `held`.
fn held_in(dir: &Path, held: &HashSet<(u64, u64, u64)>) -> HashSet<String> {
    if held.is_empty() {
        return HashSet::new();
    }
    let Ok(meta) = std::fs::metadata(dir) else {
        return HashSet::new();
    };
    let (major, minor) = split_dev(meta.dev());
    lock_files(dir)
        .filter(|(_, ino)| held.contains(&(major, minor, *ino)))
        .map(|(id, _)| id)
        .collect()
}

/// `<id>.lock` entries of `dir`: (thread id, inode). Other files (Codex's own bookkeeping such
/// as `.coordination.lock`) are not thread locks and are skipped.
fn lock_files(dir: &Path) -> impl Iterator<Item = (String, u64)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let id = name.to_str()?.strip_suffix(".lock")?;
            crate::rollout::name::is_uuid(id).then(|| (id.to_ascii_lowercase(), e.ino()))
        })
}

/// Linux's `dev_t` encoding (glibc's `major`/`minor`).
fn split_dev(dev: u64) -> (u64, u64) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xffff_f000);
    let minor = (dev & 0xff) | ((dev >> 12) & 0xffff_ff00);
    (major, minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_held_flocks_and_skips_waiters_and_posix_locks() {
        let table = "1: FLOCK  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF\n\
                     1: -> FLOCK  ADVISORY  WRITE 4243 fd:01:1234567 0 EOF\n\
                     2: POSIX  ADVISORY  WRITE 17 00:1a:99 0 EOF\n\
                     3: FLOCK  ADVISORY  READ 9 103:02:42 0 EOF\n";
        let held = flocks(table);
        assert_eq!(held.len(), 2);
        assert!(held.contains(&(0xfd, 1, 1_234_567)));
        assert!(held.contains(&(0x103, 2, 42)));
    }

    #[test]
    fn dev_split_matches_the_kernel_encoding() {
        // makedev(259, 2) in glibc's encoding.
        let dev = ((259u64 & 0xfff) << 8) | (2u64 & 0xff);
        assert_eq!(split_dev(dev), (259, 2));
        let big = ((0x1234u64 & !0xfff) << 32) | ((0x1234 & 0xfff) << 8) | 0x56;
        assert_eq!(split_dev(big), (0x1234, 0x56));
    }

    #[test]
    fn a_held_lock_is_seen_and_a_released_one_is_not() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(LOCK_DIR);
        std::fs::create_dir(&dir).unwrap();
        let id = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
        let stale = "019c8a4c-ed82-79a1-aa28-7738fc5ab61b";
        let held = std::fs::File::create(dir.join(format!("{id}.lock"))).unwrap();
        std::fs::File::create(dir.join(format!("{stale}.lock"))).unwrap();
        std::fs::File::create(dir.join(".coordination.lock")).unwrap();
        held.lock().unwrap();
        let live = probe(home.path());
        if live.authoritative {
            assert_eq!(live.locked, HashSet::from([id.to_owned()]));
            held.unlock().unwrap();
            assert!(probe(home.path()).locked.is_empty());
        } else {
            assert_eq!(live.locked.len(), 2);
        }
    }
}
