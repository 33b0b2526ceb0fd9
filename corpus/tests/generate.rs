//! Whole-corpus generation: determinism, manifest ↔ disk agreement, ground truth.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use codexd_corpus::{CorpusOptions, Format, Manifest, generate, uuid};
use common::{check_expected, mtime_ms, parse_name, walk};

fn small(seed: u64, threads: usize) -> CorpusOptions {
    CorpusOptions {
        sessions: 150,
        seed,
        scale: 0.02,
        threads,
        ..CorpusOptions::default()
    }
}

/// (relative path, bytes, mtime) of every file.
fn snapshot(home: &Path) -> Vec<(PathBuf, Vec<u8>, i64)> {
    walk(home)
        .into_iter()
        .map(|p| {
            let abs = home.join(&p);
            (p, fs::read(&abs).unwrap(), mtime_ms(&abs))
        })
        .collect()
}

#[test]
fn same_seed_same_bytes_any_thread_count() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let ma = generate(a.path(), &small(42, 1)).unwrap();
    let mb = generate(b.path(), &small(42, 3)).unwrap();
    let sa = snapshot(a.path());
    assert!(sa == snapshot(b.path()), "trees differ for the same seed");
    assert_eq!(ma.sessions, mb.sessions);
    assert_eq!(ma.total_bytes, mb.total_bytes);
    generate(c.path(), &small(43, 0)).unwrap();
    assert!(
        sa != snapshot(c.path()),
        "a different seed must change the tree"
    );
}

#[test]
fn manifest_matches_disk_and_ground_truth() {
    let home = tempfile::tempdir().unwrap();
    let opts = CorpusOptions {
        sessions: 400,
        seed: 9,
        scale: 0.03,
        ..CorpusOptions::default()
    };
    let m = generate(home.path(), &opts).unwrap();
    let h = home.path();

    // JSON round trip.
    assert_eq!(Manifest::from_json(&m.to_json()).unwrap(), m);

    let mut listed: HashSet<PathBuf> = HashSet::new();
    let mut ids = HashSet::new();
    let mut total = 0;
    for s in &m.sessions {
        assert!(
            ids.insert(s.expected.id.clone()),
            "duplicate id {}",
            s.expected.id
        );
        let mut bytes = 0;
        for p in &s.paths {
            let abs = h.join(p);
            bytes += fs::metadata(&abs).unwrap().len();
            listed.insert(p.clone());
            let name = p.file_name().unwrap().to_str().unwrap();
            let (thread, _) = parse_name(name).unwrap_or_else(|| panic!("bad name {name}"));
            assert_eq!(thread, s.expected.id);
        }
        assert_eq!(bytes, s.bytes, "{:?}", s.paths);
        total += bytes;
        let current = h.join(s.paths.last().unwrap());
        assert_eq!(mtime_ms(&current), s.updated_ms);
        if s.paths.len() == 1 {
            check_expected(&current, &s.expected);
        }
        // Dated placement: date dirs = date in the name.
        let p = s.paths.last().unwrap().to_str().unwrap();
        if let Some(rest) = p.strip_prefix("sessions/")
            && rest.matches('/').count() == 3
        {
            let (dirs, name) = rest.rsplit_once('/').unwrap();
            assert_eq!(dirs.replace('/', "-"), name[8..18], "{p}");
        }
        // UUIDv7 ids carry the creation time (0.39+ formats).
        if matches!(s.format, Format::Envelope | Format::Paginated) && s.paths.len() == 1 {
            assert_eq!(
                uuid::uuid_v7_ms(&s.expected.id),
                Some(s.expected.created_ms),
                "{p}"
            );
        }
        if matches!(s.format, Format::Bare | Format::BareFlatNoTime) {
            assert_eq!(&s.expected.id[14..15], "4");
        }
    }
    assert!(total <= m.total_bytes);

    // Every file on disk is accounted for: a session file, an ignored/garbage path (or inside an
    // ignored directory), or one of the two index files.
    let ignored: Vec<&PathBuf> = m.ignored.iter().collect();
    for f in walk(h) {
        let known = listed.contains(&f)
            || m.garbage.contains(&f)
            || ignored.iter().any(|i| f.starts_with(i))
            || f == Path::new("session_index.jsonl")
            || f == Path::new("history.jsonl");
        assert!(known, "unlisted file {}", f.display());
    }
    assert_eq!(m.files, walk(h).len());

    // The mix contains what the daemon must handle.
    let has = |f: Format| m.sessions.iter().any(|s| s.format == f);
    assert!(Format::ALL.into_iter().all(has));
    assert!(m.sessions.iter().any(|s| s.expected.archived));
    assert!(
        m.sessions
            .iter()
            .any(|s| s.paths[0].extension().is_some_and(|e| e == "zst"))
    );
    assert!(m.sessions.iter().any(|s| s.expected.name.is_some()));
    assert!(m.sessions.iter().any(|s| !s.expected.interactive));

    // session_index.jsonl: last entry per id wins and equals the manifest's name.
    let index = fs::read_to_string(h.join("session_index.jsonl")).unwrap();
    let mut last = std::collections::HashMap::new();
    for line in index.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        last.insert(
            v["id"].as_str().unwrap().to_string(),
            v["thread_name"].as_str().unwrap().to_string(),
        );
    }
    for s in &m.sessions {
        let from_index = last.get(&s.expected.id).filter(|n| !n.is_empty());
        assert_eq!(from_index, s.expected.name.as_ref(), "{}", s.expected.id);
    }
    // history.jsonl lines are well-formed and sorted by time.
    let history = fs::read_to_string(h.join("history.jsonl")).unwrap();
    let ts: Vec<i64> = history
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["ts"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn scale_shrinks_bulk_but_not_structure() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let base = CorpusOptions {
        sessions: 40,
        pitfalls: false,
        ..CorpusOptions::default()
    };
    let big = generate(
        a.path(),
        &CorpusOptions {
            scale: 1.0,
            ..base.clone()
        },
    )
    .unwrap();
    let tiny = generate(
        b.path(),
        &CorpusOptions {
            scale: 0.01,
            ..base
        },
    )
    .unwrap();
    assert!(
        tiny.total_bytes * 4 < big.total_bytes,
        "{} vs {}",
        tiny.total_bytes,
        big.total_bytes
    );
    // What remains at a tiny scale is structure: every session still has its lines.
    assert!(tiny.total_bytes > 40 * 5_000);
    let ids = |m: &Manifest| {
        m.sessions
            .iter()
            .map(|s| s.expected.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&big),
        ids(&tiny),
        "same seed ⇒ same sessions and prompts at any scale"
    );
}

/// Larger ground-truth sweep, on demand: `cargo test -p codexd-corpus --release -- --ignored`.
/// `CORPUS_SESSIONS` / `CORPUS_SCALE` override the size.
#[test]
#[ignore]
fn large_corpus_ground_truth() {
    let env = |k: &str| std::env::var(k).ok();
    let opts = CorpusOptions {
        sessions: env("CORPUS_SESSIONS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(3_000),
        scale: env("CORPUS_SCALE")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.05),
        seed: 1234,
        ..CorpusOptions::default()
    };
    let home = tempfile::tempdir().unwrap();
    let m = generate(home.path(), &opts).unwrap();
    for s in m.sessions.iter().filter(|s| s.paths.len() == 1) {
        check_expected(&home.path().join(&s.paths[0]), &s.expected);
    }
}
