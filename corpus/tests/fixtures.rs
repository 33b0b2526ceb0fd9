//! Single-session writers and pitfall fixtures.

mod common;

use std::fs;

use codexd_corpus::fixtures::{self, Format, Pitfall, Placement, SessionSpec, Turn, TurnEnd};
use codexd_corpus::{Source, TurnState, time, uuid};
use common::{check_expected, complete_lines, mtime_ms, parse_name, read_rollout};
use serde_json::Value;

/// A spec exercising most per-turn features at once.
fn busy_spec(format: Format) -> SessionSpec {
    let mut spec = SessionSpec::example(format, 11);
    spec.name = Some("busy session".into());
    spec.turns = vec![
        Turn {
            images: 1,
            ..Turn::new("why does this screenshot show two logos?")
        },
        Turn::new("try again").ending(TurnEnd::Aborted),
        Turn {
            compact_before: true,
            tool_calls: 3,
            tool_output_bytes: 30_000,
            reasoning_bytes: 8_000,
            ..Turn::new("now with tests")
        },
        Turn {
            cwd: Some(format!("{}/web", spec.cwd)),
            ..Turn::new("same in the web app").ending(TurnEnd::Errored)
        },
        Turn {
            rollback: 1,
            ..Turn::new("undo me")
        },
        Turn {
            prompt: String::new(),
            images: 1,
            ..Turn::new("")
        }
        .ending(TurnEnd::Open),
    ];
    spec
}

#[test]
fn every_format_writes_valid_json_lines_in_codex_field_order() {
    let home = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let spec = busy_spec(format);
        let path =
            fixtures::write_session(home.path(), &spec, format, Placement::Dated, false).unwrap();
        let bytes = fs::read(&path).unwrap();
        assert_eq!(bytes.last(), Some(&b'\n'), "{format:?}: ends with newline");
        for (i, line) in complete_lines(&bytes).into_iter().enumerate() {
            let v: Value = serde_json::from_slice(line).unwrap_or_else(|e| {
                panic!(
                    "{format:?} line {i}: {e}: {}",
                    String::from_utf8_lossy(line)
                )
            });
            assert!(v.is_object());
            let text = std::str::from_utf8(line).unwrap();
            if format.has_lifecycle() {
                assert!(
                    text.starts_with("{\"timestamp\":\""),
                    "{format:?}: {text:.80}"
                );
                let after_ts = &text[39..];
                if format == Format::Paginated {
                    assert!(after_ts.starts_with(",\"ordinal\":"), "{text:.80}");
                    assert_eq!(
                        v["ordinal"].as_u64(),
                        Some(i as u64),
                        "ordinals count lines"
                    );
                } else {
                    assert!(after_ts.starts_with(",\"type\":\""), "{text:.80}");
                    assert!(v.get("ordinal").is_none());
                }
                if matches!(v["type"].as_str(), Some("event_msg" | "response_item")) {
                    assert!(text.contains("\"payload\":{\"type\":\""), "{text:.120}");
                }
            }
        }
        let e = fixtures::expected(&spec, format, Placement::Dated);
        check_expected(&path, &e);
        // The image-only prompt shows as "[Image]"; the rolled-back prompt is gone.
        if format.has_lifecycle() {
            assert_eq!(
                e.prompts.last().map(String::as_str),
                Some("[Image]"),
                "{format:?}"
            );
            assert!(!e.prompts.iter().any(|p| p == "undo me"), "{format:?}");
            assert_eq!(e.turn_state, TurnState::InProgress);
        }
    }
    // Names go to session_index.jsonl, one line per write.
    let index = fs::read_to_string(home.path().join("session_index.jsonl")).unwrap();
    assert_eq!(index.lines().count(), Format::ALL.len());
    let first: Value = serde_json::from_str(index.lines().next().unwrap()).unwrap();
    assert_eq!(first["thread_name"], "busy session");
    assert!(
        index.starts_with("{\"id\":\""),
        "field order id, thread_name, updated_at"
    );
}

#[test]
fn mtime_is_the_last_line_time_and_names_follow_the_grammar() {
    let home = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let spec = SessionSpec::example(format, 3);
        let w = fixtures::write_session_full(home.path(), &spec, format, Placement::Dated, false)
            .unwrap();
        assert_eq!(mtime_ms(&w.path), w.updated_ms);
        let bytes = fs::read(&w.path).unwrap();
        let last = complete_lines(&bytes).pop().unwrap();
        let v: Value = serde_json::from_slice(last).unwrap();
        if let Some(ts) = v["timestamp"].as_str() {
            assert_eq!(time::parse_rfc3339(ts), Some(w.updated_ms), "{format:?}");
        }
        let name = w.path.file_name().unwrap().to_str().unwrap();
        let (thread, rollout) = parse_name(name).unwrap_or_else(|| panic!("bad name {name}"));
        assert_eq!(thread, spec.id);
        assert_eq!(rollout, None);
        if format == Format::BareFlatNoTime {
            assert_eq!(
                name,
                format!("rollout-{}-{}.jsonl", time::date(spec.created_ms), spec.id)
            );
            assert_eq!(w.path.parent().unwrap(), home.path().join("sessions"));
        } else {
            assert!(name.starts_with(&format!("rollout-{}-", time::file_stamp(spec.created_ms))));
            let [y, m, d] = time::date_dirs(spec.created_ms);
            assert_eq!(
                w.path.parent().unwrap(),
                home.path().join("sessions").join(y).join(m).join(d)
            );
        }
        // v7 ids (0.39+) carry the creation time; older formats use v4.
        if format.uses_uuid_v7() {
            assert_eq!(uuid::uuid_v7_ms(&spec.id), Some(spec.created_ms));
        } else {
            assert_eq!(&spec.id[14..15], "4");
        }
    }
    // Placements.
    let spec = SessionSpec::example(Format::Envelope, 4);
    let a = fixtures::write_session(
        home.path(),
        &spec,
        Format::Envelope,
        Placement::Archived,
        false,
    )
    .unwrap();
    assert_eq!(a.parent().unwrap(), home.path().join("archived_sessions"));
    let f = fixtures::write_session(
        home.path(),
        &spec,
        Format::Envelope,
        Placement::LegacyFlat,
        false,
    )
    .unwrap();
    assert_eq!(f.parent().unwrap(), home.path().join("sessions"));
}

#[test]
fn zstd_files_decompress_to_the_plain_bytes() {
    let plain_home = tempfile::tempdir().unwrap();
    let zst_home = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let spec = busy_spec(format);
        let p =
            fixtures::write_session(plain_home.path(), &spec, format, Placement::Archived, false)
                .unwrap();
        let z = fixtures::write_session(zst_home.path(), &spec, format, Placement::Archived, true)
            .unwrap();
        assert!(z.to_str().unwrap().ends_with(".jsonl.zst"));
        assert_eq!(
            zstd::decode_all(&fs::read(&z).unwrap()[..]).unwrap(),
            fs::read(&p).unwrap()
        );
        assert_eq!(
            fixtures::render_session(&spec, format),
            fs::read(&p).unwrap()
        );
        assert_eq!(mtime_ms(&z), mtime_ms(&p));
    }
}

#[test]
fn rendering_is_deterministic_and_spec_sensitive() {
    let spec = busy_spec(Format::Paginated);
    assert_eq!(
        fixtures::render_session(&spec, Format::Paginated),
        fixtures::render_session(&spec, Format::Paginated)
    );
    let mut other = spec.clone();
    other.id = uuid::uuid_v7(spec.created_ms, 999);
    assert_ne!(
        fixtures::render_session(&spec, Format::Paginated),
        fixtures::render_session(&other, Format::Paginated)
    );
}

#[test]
fn expected_cleans_prompts_like_codex() {
    assert_eq!(fixtures::clean_prompt("  hi  ", 0).as_deref(), Some("hi"));
    assert_eq!(fixtures::clean_prompt("", 2).as_deref(), Some("[Image]"));
    assert_eq!(fixtures::clean_prompt("", 0), None);
    let wrapped = "# Context from my IDE setup:\n\n## My request for Codex:\nfix it\n";
    assert_eq!(
        fixtures::clean_prompt(wrapped, 0).as_deref(),
        Some("fix it")
    );

    let mut spec = SessionSpec::example(Format::Envelope, 1);
    spec.ide_prefix = true;
    spec.source = Source::Exec;
    let e = fixtures::expected(&spec, Format::Envelope, Placement::Archived);
    assert_eq!(
        e.first_prompt.as_deref(),
        Some(spec.turns[0].prompt.as_str())
    );
    assert!(e.archived);
    assert!(!e.interactive);
    assert_eq!(e.source.as_deref(), Some("exec"));
    let bare = fixtures::expected(&spec, Format::Bare, Placement::Dated);
    // No lifecycle events: the answered last turn reads as completed.
    assert_eq!(bare.turn_state, TurnState::Completed);
    assert_eq!(bare.cli_version, None);
}

#[test]
fn every_pitfall_writes_what_it_promises() {
    let home = tempfile::tempdir().unwrap();
    for pitfall in Pitfall::ALL {
        let out = fixtures::write_pitfall(home.path(), pitfall, 5).unwrap();
        assert_eq!(out.pitfall, pitfall);
        for s in &out.sessions {
            for f in &s.files {
                assert!(f.is_file(), "{pitfall:?}: {} missing", f.display());
                let name = f.file_name().unwrap().to_str().unwrap();
                assert!(parse_name(name).is_some(), "{pitfall:?}: bad name {name}");
                let bytes = read_rollout(f);
                let broken = complete_lines(&bytes)
                    .iter()
                    .filter(|l| serde_json::from_slice::<Value>(l).is_err())
                    .count();
                if out.broken_lines {
                    assert!(broken > 0, "{pitfall:?} should contain broken lines");
                } else {
                    assert_eq!(broken, 0, "{pitfall:?}: {} has invalid lines", f.display());
                }
                if pitfall == Pitfall::TruncatedLastLine {
                    assert_ne!(bytes.last(), Some(&b'\n'), "partial last line");
                }
            }
            let current = s.files.last().unwrap();
            if pitfall != Pitfall::RevertedThread {
                check_expected(current, &s.expected);
            }
        }
        for p in &out.ignored {
            assert!(p.exists(), "{pitfall:?}: {} missing", p.display());
        }
        for p in &out.garbage {
            assert!(p.is_file());
        }
        match pitfall {
            Pitfall::MetaOnly => {
                let e = &out.sessions[0].expected;
                assert!(e.prompts.is_empty() && e.first_prompt.is_none());
                assert_eq!(
                    complete_lines(&read_rollout(&out.sessions[0].files[0])).len(),
                    1
                );
            }
            Pitfall::MultipleSessionMeta => {
                let fork = &out.sessions[1];
                let r = common::read(&read_rollout(&fork.files[0]));
                assert!(r.meta_lines >= 2);
                assert_eq!(
                    fork.expected.prompts.len(),
                    out.sessions[0].expected.prompts.len() + 1
                );
            }
            Pitfall::CompactedHistory => {
                let bytes = read_rollout(&out.sessions[0].files[0]);
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.contains("\"type\":\"compacted\"") && text.contains("replacement_history")
                );
                assert_eq!(out.sessions[0].expected.prompts.len(), 4);
            }
            Pitfall::ImageOnlyPrompt => {
                // The image-only first turn and the words after it are one prompt, image marked.
                for s in &out.sessions {
                    let first = s.expected.first_prompt.as_deref().unwrap_or("");
                    assert!(first.starts_with("[Image] ") && first.len() > 8, "{first}");
                }
            }
            Pitfall::HugeLines => {
                let bytes = read_rollout(&out.sessions[0].files[0]);
                let longest = complete_lines(&bytes)
                    .iter()
                    .map(|l| l.len())
                    .max()
                    .unwrap();
                assert!(longest > 3 * 1024 * 1024, "longest line {longest}");
            }
            Pitfall::TurnAborted => {
                assert_eq!(out.sessions[0].expected.turn_state, TurnState::Aborted)
            }
            Pitfall::TaskCompleteError => {
                assert_eq!(out.sessions[0].expected.turn_state, TurnState::Errored)
            }
            Pitfall::OpenLastTurn => {
                assert_eq!(out.sessions[0].expected.turn_state, TurnState::InProgress)
            }
            Pitfall::InvalidUtf8 => {
                let bytes = read_rollout(&out.sessions[0].files[0]);
                assert!(std::str::from_utf8(&bytes).is_err());
            }
            Pitfall::RevertedThread => {
                let s = &out.sessions[0];
                assert_eq!(s.files.len(), 2);
                let name = s.files[1].file_name().unwrap().to_str().unwrap();
                let (thread, rollout) = parse_name(name).unwrap();
                assert_eq!(thread, s.expected.id);
                assert!(rollout.is_some());
                let r = common::read(&read_rollout(&s.files[1]));
                assert!(r.history_base);
                assert_eq!(r.id.as_deref(), Some(s.expected.id.as_str()));
                // Kept prefix of the original + the revert's own prompt.
                let orig = common::read(&read_rollout(&s.files[0]));
                let mut prompts = orig.prompts[..2].to_vec();
                prompts.extend(r.prompts.clone());
                assert_eq!(prompts, s.expected.prompts);
            }
            Pitfall::PlainAndCompressedSiblings => {
                let f = &out.sessions[0].files;
                assert!(f[0].to_str().unwrap().ends_with(".jsonl.zst"));
                assert_eq!(f[0].with_extension(""), f[1]);
            }
            Pitfall::TempAndHiddenFiles => {
                assert!(out.ignored.len() >= 6);
                for p in &out.ignored {
                    let n = p.file_name().unwrap().to_str().unwrap();
                    assert!(parse_name(n).is_none(), "{n} must not parse as a rollout");
                }
            }
            Pitfall::DirectoryNamedLikeRollout => assert!(out.ignored[0].is_dir()),
            Pitfall::NonInteractive => {
                assert!(out.sessions.iter().all(|s| !s.expected.interactive))
            }
            Pitfall::ResumedDaysLater => {
                let s = &out.sessions[0];
                assert!(mtime_ms(&s.files[0]) > s.expected.created_ms + 20 * 86_400_000);
            }
            _ => {}
        }
    }
}
