//! The reader against ground truth written independently by `codexd-corpus`: every format,
//! every pitfall of docs/rollout-format.md §7, plus property tests that no bytes, truncation or
//! append pattern can make the reader panic or disagree with a one-shot parse.

use std::path::Path;

use codexd_core::engine::{Config, Engine, Shared};
use codexd_core::rollout::TurnState;
use codexd_core::rollout::reader::CHECK_WINDOW;
use codexd_core::rollout::record::MAX_PROMPT_BYTES;
use codexd_core::rollout::{ParsedFile, ReadOutcome, parse_bytes, read_rollout};
use codexd_corpus::{CorpusOptions, Manifest, TurnState as Truth};
use proptest::prelude::*;

fn scan(home: &Path) -> Shared {
    let mut config = Config::for_home(home.to_owned());
    config.write_registry = false;
    let shared = Shared::new(Engine::new(config));
    shared.full_reconcile(false);
    shared
}

fn turn_state(t: Truth) -> TurnState {
    match t {
        Truth::None => TurnState::None,
        Truth::InProgress => TurnState::InProgress,
        Truth::Completed => TurnState::Completed,
        Truth::Aborted => TurnState::Aborted,
        Truth::Errored => TurnState::Errored,
    }
}

fn cut(s: &str) -> String {
    codexd_core::rollout::context::truncate_bytes(s, MAX_PROMPT_BYTES).to_owned()
}

fn check_against_manifest(home: &Path, manifest: &Manifest) {
    let shared = scan(home);
    shared.read(|eng| {
        let mut failures = Vec::new();
        for s in &manifest.sessions {
            let e = &s.expected;
            let Some(t) = eng.table().thread(&e.id) else {
                failures.push(format!(
                    "{}: missing ({:?}, {:?})",
                    e.id, s.format, s.pitfall
                ));
                continue;
            };
            let r = t.record();
            let got: Vec<String> = t.prompts().iter().map(|p| p.text.to_string()).collect();
            let want: Vec<String> = e.prompts.iter().map(|p| cut(p)).collect();
            let want_window: Vec<String> = match want.len() {
                n if n > got.len() && !want.is_empty() => {
                    // Bounded memory: the first prompt plus the latest ones.
                    let mut w = vec![want[0].clone()];
                    w.extend(want[n - (got.len() - 1)..].iter().cloned());
                    w
                }
                _ => want.clone(),
            };
            let ctx = format!(
                "{} ({:?}, pitfall {:?}, {:?})",
                e.id, s.format, s.pitfall, t.path
            );
            if got != want_window || t.prompt_count() != want.len() {
                failures.push(format!("{ctx}: prompts {got:?} != {want:?}"));
            }
            if t.first_prompt().map(str::to_owned) != e.first_prompt.as_deref().map(cut) {
                failures.push(format!(
                    "{ctx}: first prompt {:?} != {:?}",
                    t.first_prompt(),
                    e.first_prompt
                ));
            }
            if r.cwd() != e.cwd.as_deref() {
                failures.push(format!("{ctx}: cwd {:?} != {:?}", r.cwd(), e.cwd));
            }
            if r.turn_state != turn_state(e.turn_state) {
                failures.push(format!(
                    "{ctx}: turn {:?} != {:?}",
                    r.turn_state, e.turn_state
                ));
            }
            if t.archived() != e.archived {
                failures.push(format!(
                    "{ctx}: archived {} != {}",
                    t.archived(),
                    e.archived
                ));
            }
            if t.title_name() != e.name.as_deref() {
                failures.push(format!("{ctx}: name {:?} != {:?}", t.title_name(), e.name));
            }
            if t.interactive() != e.interactive {
                failures.push(format!(
                    "{ctx}: interactive {} != {}",
                    t.interactive(),
                    e.interactive
                ));
            }
            if r.model.as_deref() != e.model.as_deref() {
                failures.push(format!("{ctx}: model {:?} != {:?}", r.model, e.model));
            }
            if e.cli_version.is_some() && r.meta.cli_version.as_deref() != e.cli_version.as_deref()
            {
                failures.push(format!(
                    "{ctx}: cli_version {:?} != {:?}",
                    r.meta.cli_version, e.cli_version
                ));
            }
            if s.tokens_total.is_some_and(|t| t > 0) && r.tokens_total != s.tokens_total {
                failures.push(format!(
                    "{ctx}: tokens {:?} != {:?}",
                    r.tokens_total, s.tokens_total
                ));
            }
            let current = home.join(s.paths.last().unwrap());
            if t.path != current {
                failures.push(format!("{ctx}: current file {:?} != {:?}", t.path, current));
            }
        }
        for ignored in &manifest.ignored {
            if eng.table().file(&home.join(ignored)).is_some() {
                failures.push(format!("indexed an ignored path: {ignored:?}"));
            }
        }
        // Sessions + garbage files with rollout names: nothing else.
        let expected_threads = manifest.sessions.len() + manifest.garbage.len();
        if eng.table().thread_count() != expected_threads {
            failures.push(format!(
                "{} threads, expected {expected_threads}",
                eng.table().thread_count()
            ));
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
    })
}

#[test]
fn every_format_and_pitfall_matches_ground_truth() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = codexd_corpus::generate(
        dir.path(),
        &CorpusOptions {
            sessions: 300,
            seed: 7,
            scale: 0.05,
            ..CorpusOptions::default()
        },
    )
    .unwrap();
    assert!(manifest.sessions.iter().any(|s| s.pitfall.is_some()));
    check_against_manifest(dir.path(), &manifest);
}

#[test]
fn appending_reads_only_the_new_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("rollout-2026-01-01T00-00-00-019c0000-0000-7000-8000-000000000001.jsonl");
    let line = |i: usize| {
        format!(
            "{{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"user_message\",\"message\":\"prompt {i}\"}}}}\n"
        )
    };
    let first: String = (0..100).map(line).collect();
    std::fs::write(&path, &first).unwrap();
    let ReadOutcome::Updated { parsed, bytes_read } = read_rollout(&path, false, None).unwrap()
    else {
        panic!()
    };
    assert_eq!(bytes_read as usize, first.len());
    let more = line(100);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, more.as_bytes()).unwrap();
    let ReadOutcome::Updated {
        parsed: p2,
        bytes_read,
    } = read_rollout(&path, false, Some(&parsed)).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        bytes_read as usize,
        CHECK_WINDOW + more.len(),
        "only the appended line is read, after the window before the offset is checked"
    );
    assert_eq!(p2.record.real_prompts().count, 101);
    assert!(matches!(
        read_rollout(&path, false, Some(&p2)).unwrap(),
        ReadOutcome::Unchanged
    ));
    // Shrinking forces a full re-read.
    std::fs::write(&path, line(7)).unwrap();
    let ReadOutcome::Updated { parsed: p3, .. } = read_rollout(&path, false, Some(&p2)).unwrap()
    else {
        panic!()
    };
    assert_eq!(p3.record.real_prompts().count, 1);
}

/// Feed `bytes` to the incremental reader in pieces, as a file growing by appends.
fn incremental(bytes: &[u8], cuts: &[usize]) -> ParsedFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    std::fs::write(&path, b"").unwrap();
    let mut parsed: Option<ParsedFile> = None;
    let mut written = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    points.push(bytes.len());
    for p in points {
        if p > written {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            std::io::Write::write_all(&mut f, &bytes[written..p]).unwrap();
            written = p;
        }
        // Size alone identifies the change here (mtime may not move within a tick).
        if let Some(prev) = parsed.as_mut() {
            prev.state.len = u64::MAX;
        }
        match read_rollout(&path, false, parsed.as_ref()).unwrap() {
            ReadOutcome::Updated {
                parsed: p,
                bytes_read,
            } => {
                // An append never costs a full re-read: the window before the offset, then
                // the bytes after it.
                let offset = parsed.as_ref().map_or(0, |q| q.state.offset);
                let window = offset.min(CHECK_WINDOW as u64);
                assert_eq!(bytes_read, window + (written as u64 - offset));
                parsed = Some(p);
            }
            ReadOutcome::Unchanged => {}
        }
    }
    parsed.unwrap()
}

fn sample_session() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let spec = codexd_corpus::SessionSpec {
        turns: vec![
            codexd_corpus::Turn::new("fix the flaky login test"),
            codexd_corpus::Turn::new("## My request for Codex:\nnow add a regression test"),
            codexd_corpus::Turn::new("and update the changelog"),
        ],
        ..codexd_corpus::SessionSpec::example(codexd_corpus::Format::Envelope, 3)
    };
    let path = codexd_corpus::fixtures::write_session(
        dir.path(),
        &spec,
        codexd_corpus::Format::Envelope,
        codexd_corpus::Placement::Dated,
        false,
    )
    .unwrap();
    std::fs::read(path).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let (_, consumed) = parse_bytes(&bytes);
        let last_newline = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        prop_assert_eq!(consumed as usize, last_newline);
    }

    #[test]
    fn appends_in_any_pieces_equal_a_one_shot_parse(cuts in proptest::collection::vec(any::<usize>(), 0..12), garbage in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = sample_session();
        bytes.extend_from_slice(&garbage);
        let (whole, consumed) = parse_bytes(&bytes);
        let inc = incremental(&bytes, &cuts);
        prop_assert_eq!(inc.state.offset, consumed);
        prop_assert_eq!(&inc.record.real_prompts().iter().map(|p| p.text.clone()).collect::<Vec<_>>(), &whole.real_prompts().iter().map(|p| p.text.clone()).collect::<Vec<_>>());
        prop_assert_eq!(&inc.record, &whole);
    }

    #[test]
    fn any_truncation_point_is_safe(cut in any::<usize>()) {
        let bytes = sample_session();
        let end = cut % (bytes.len() + 1);
        let (r, consumed) = parse_bytes(&bytes[..end]);
        prop_assert!(consumed as usize <= end);
        prop_assert!(r.real_prompts().count <= 3);
    }
}

#[test]
fn a_larger_mixed_home_matches_ground_truth() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = codexd_corpus::generate(
        dir.path(),
        &CorpusOptions {
            sessions: 1500,
            seed: 11,
            scale: 0.02,
            ..CorpusOptions::default()
        },
    )
    .unwrap();
    check_against_manifest(dir.path(), &manifest);
}
