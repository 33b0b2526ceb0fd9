//! Reading rollout files: whole, or only the bytes appended since last time.
//!
//! Invariants:
//! - Only bytes up to the last `\n` are consumed; a partial last line is re-read once its
//!   newline arrives (docs/rollout-format.md pitfall 2).
//! - A line is buffered only while it may matter: a long line whose prefix says it is
//!   irrelevant is skipped as it streams past, and no line is buffered beyond `MAX_LINE`
//!   (pitfall 3), so memory per file is bounded whatever the file holds.
//! - A file whose identity changed (inode), that shrank, or that is compressed is re-read
//!   from the start; otherwise reading resumes at the saved offset, but only once the file is
//!   seen to still hold the bytes just before it: the up to `CHECK_WINDOW` bytes ending at the
//!   offset are read again (one `pread`) and their hash compared with the one taken when they
//!   were consumed. A file rewritten in place, or truncated and regrown, to at least its old
//!   length between two looks fails that check and is re-read from the start.
//! - A read that a write overlapped (the file's size or mtime moved while it was read) is made
//!   once more: a truncation and regrowth between two of its chunks would otherwise go unseen,
//!   since the window checked next time is then already the new file's.

use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

use super::line::{Quick, TokenTotal, classify, token_total};
use super::record::RolloutRecord;

/// Read buffer size: large enough that syscalls do not dominate, small enough for two threads.
const CHUNK: usize = 256 * 1024;
/// A line still without its newline after this many bytes has its fate decided by its prefix.
const DECIDE_AT: usize = 16 * 1024;
/// No line is buffered beyond this. Relevant lines this long are user messages carrying inline
/// images; their text is salvaged from the prefix (see `salvage`).
pub const MAX_LINE: usize = 4 * 1024 * 1024;
/// How many bytes before the saved offset a tail read checks are still there (see the module
/// doc): one small `pread` per tail read.
pub const CHECK_WINDOW: usize = 4 * 1024;

/// What we remember about a file between reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileState {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    pub mtime_ns: i64,
    /// Byte offset just past the last complete line consumed (plain files).
    pub offset: u64,
    /// Hash of the up to `CHECK_WINDOW` bytes ending at `offset`, as they were consumed (plain
    /// files): what a tail read checks before it trusts `offset`.
    #[serde(default)]
    pub before_offset: u64,
}

impl FileState {
    pub fn from_metadata(m: &std::fs::Metadata) -> FileState {
        FileState {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            offset: 0,
            before_offset: 0,
        }
    }

    /// Same file, same size, same mtime: nothing to read.
    pub fn unchanged(&self, other: &FileState) -> bool {
        self.dev == other.dev
            && self.ino == other.ino
            && self.len == other.len
            && self.mtime_ns == other.mtime_ns
    }

    /// Last modification, unix ms.
    pub fn mtime_ms(&self) -> i64 {
        self.mtime_ns.div_euclid(1_000_000)
    }
}

/// A parsed file: its record plus where reading stopped.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParsedFile {
    pub state: FileState,
    pub record: RolloutRecord,
}

/// Result of `read_rollout`. (Returned once per read and consumed at once, so the size
/// difference between the variants costs nothing.)
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum ReadOutcome {
    /// Same identity, size and mtime as `prev`.
    Unchanged,
    /// New or updated contents; `bytes_read` counts bytes taken from disk (decompressed input
    /// for `.zst`; the checked window and a repeated read included), which is what the
    /// "re-read only the appended bytes" test measures.
    Updated { parsed: ParsedFile, bytes_read: u64 },
}

/// Read (or continue reading) one rollout file.
pub fn read_rollout(
    path: &Path,
    compressed: bool,
    prev: Option<&ParsedFile>,
) -> io::Result<ReadOutcome> {
    let mut earlier = 0;
    for attempt in 0..2 {
        match read_once(path, compressed, prev)? {
            (ReadOutcome::Unchanged, _) => return Ok(ReadOutcome::Unchanged),
            // A write overlapped this read: its bytes may mix two versions of the file in a way
            // the next check cannot see. Once more (from `prev` again); a second overlap is
            // kept, and the write's own event brings another read.
            (ReadOutcome::Updated { bytes_read, .. }, true) if attempt == 0 => {
                tracing::debug!(path = %path.display(), "rollout written to while read; reading it again");
                earlier += bytes_read;
            }
            (ReadOutcome::Updated { parsed, bytes_read }, _) => {
                return Ok(ReadOutcome::Updated {
                    parsed,
                    bytes_read: earlier + bytes_read,
                });
            }
        }
    }
    unreachable!("the second attempt always returns")
}

/// One read of `path`; the flag says whether the file's size or mtime moved meanwhile.
fn read_once(
    path: &Path,
    compressed: bool,
    prev: Option<&ParsedFile>,
) -> io::Result<(ReadOutcome, bool)> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut state = FileState::from_metadata(&meta);
    if let Some(p) = prev
        && p.state.unchanged(&state)
    {
        return Ok((ReadOutcome::Unchanged, false));
    }
    let at_open = state;
    let raced = |file: &File| -> io::Result<bool> {
        Ok(!FileState::from_metadata(&file.metadata()?).unchanged(&at_open))
    };
    if compressed {
        let decoder = zstd::stream::read::Decoder::new(&file)?;
        let mut record = RolloutRecord::default();
        let fed = feed_reader(decoder, &mut record, true, &[])?;
        state.offset = state.len;
        record.shrink_to_fit();
        let raced = raced(&file)?;
        return Ok((
            ReadOutcome::Updated {
                parsed: ParsedFile { state, record },
                bytes_read: fed.read,
            },
            raced,
        ));
    }
    // Continue from the saved offset only if this is still the same file, it did not shrink
    // below what we consumed, and it still holds the bytes just before that offset (a rewrite
    // in place or a truncation forces a full re-read).
    let mut window = [0u8; CHECK_WINDOW];
    let mut checked = 0u64;
    let mut resume: Option<(&ParsedFile, usize)> = None;
    if let Some(p) = prev
        && p.state.dev == state.dev
        && p.state.ino == state.ino
        && state.len >= p.state.offset
    {
        let w = window_len(p.state.offset);
        let holds = w == 0 || {
            let bytes = &mut window[..w];
            checked = w as u64;
            match file.read_exact_at(bytes, p.state.offset - w as u64) {
                Ok(()) => window_hash(bytes) == p.state.before_offset,
                // Shorter than at the stat: truncated meanwhile.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => false,
                Err(e) => return Err(e),
            }
        };
        if holds {
            resume = Some((p, w));
        } else {
            tracing::debug!(path = %path.display(), offset = p.state.offset, "rollout changed before the read offset; reading it from the start");
        }
    }
    let (mut record, start, before) = match resume {
        Some((p, w)) => (p.record.clone(), p.state.offset, &window[..w]),
        None => (RolloutRecord::default(), 0, &window[..0]),
    };
    if start > 0 {
        (&file).seek(SeekFrom::Start(start))?;
    }
    let fed = feed_reader(&file, &mut record, false, before)?;
    state.offset = start + fed.consumed;
    state.before_offset = fed.window_hash;
    record.shrink_to_fit();
    let raced = raced(&file)?;
    Ok((
        ReadOutcome::Updated {
            parsed: ParsedFile { state, record },
            bytes_read: checked + fed.read,
        },
        raced,
    ))
}

/// How many bytes before `offset` are checked: `CHECK_WINDOW`, or all of them if fewer.
fn window_len(offset: u64) -> usize {
    offset.min(CHECK_WINDOW as u64) as usize
}

/// The hash kept of a window. std's SipHash with its fixed keys (`DefaultHasher::new`): the
/// same in every run of one build, which is all that is needed — a cache written by another
/// codexd version is ignored (`core/src/cache.rs`).
fn window_hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Keep the last `CHECK_WINDOW` bytes of `buf` followed by `more`.
fn keep_last(buf: &mut Vec<u8>, more: &[u8]) {
    if more.len() >= CHECK_WINDOW {
        buf.clear();
        buf.extend_from_slice(&more[more.len() - CHECK_WINDOW..]);
        return;
    }
    let excess = (buf.len() + more.len()).saturating_sub(CHECK_WINDOW);
    buf.drain(..excess);
    buf.extend_from_slice(more);
}

/// Parse a complete in-memory file (tests, fuzzing): same rules as reading from disk.
pub fn parse_bytes(bytes: &[u8]) -> (RolloutRecord, u64) {
    let mut record = RolloutRecord::default();
    let mut splitter = LineSplitter::new(&mut record);
    splitter.feed(bytes);
    let consumed = splitter.consumed;
    (record, consumed)
}

/// What one pass of the line splitter over a stream did.
struct Fed {
    /// Bytes through the last newline.
    consumed: u64,
    /// Bytes read.
    read: u64,
    /// `window_hash` of the up to `CHECK_WINDOW` bytes ending where consumption stopped.
    window_hash: u64,
}

/// Stream `reader` through the line splitter; `before` holds the (checked) bytes just before
/// the stream's first byte, so that the window kept can reach back past it. With
/// `finish_partial`, a final line without `\n` is used as well (compressed files are
/// complete; plain files may still be being written).
fn feed_reader(
    mut reader: impl Read,
    record: &mut RolloutRecord,
    finish_partial: bool,
    before: &[u8],
) -> io::Result<Fed> {
    // One read buffer per thread, reused across files: allocating 256 KiB per file would be
    // 10k mmap/munmap pairs for a cold scan.
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        if buf.len() != CHUNK {
            buf.resize(CHUNK, 0);
        }
        feed_with(&mut reader, buf, record, finish_partial, before)
    })
}

fn feed_with(
    reader: &mut impl Read,
    buf: &mut [u8],
    record: &mut RolloutRecord,
    finish_partial: bool,
    before: &[u8],
) -> io::Result<Fed> {
    let mut splitter = LineSplitter::new(record);
    let mut read_total = 0u64;
    // The last `CHECK_WINDOW` bytes before the current chunk, and (once a newline is seen)
    // the last `CHECK_WINDOW` bytes through the last newline.
    let mut recent = before.to_vec();
    let mut window: Option<Vec<u8>> = None;
    loop {
        let n = match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        read_total += n as u64;
        let (fed_before, consumed_before) = (splitter.fed, splitter.consumed);
        splitter.feed(&buf[..n]);
        if splitter.consumed > consumed_before {
            let through = (splitter.consumed - fed_before) as usize;
            let w = window.get_or_insert_with(Vec::new);
            w.clone_from(&recent);
            keep_last(w, &buf[..through]);
        }
        keep_last(&mut recent, &buf[..n]);
    }
    if finish_partial {
        splitter.finish();
    }
    Ok(Fed {
        consumed: splitter.consumed,
        read: read_total,
        window_hash: window_hash(window.as_deref().unwrap_or(before)),
    })
}

/// Splits a byte stream into lines, deciding per line whether to parse it.
struct LineSplitter<'r> {
    record: &'r mut RolloutRecord,
    /// The current line's bytes when it spans chunks (only while it may matter).
    carry: Vec<u8>,
    /// The current line was judged irrelevant (or too long): drop bytes until its newline.
    skipping: bool,
    /// The current (long) line's prefix was already classified as relevant.
    decided: bool,
    /// Bytes fed so far.
    fed: u64,
    /// Bytes through the last newline.
    consumed: u64,
}

impl<'r> LineSplitter<'r> {
    fn new(record: &'r mut RolloutRecord) -> Self {
        LineSplitter {
            record,
            carry: Vec::new(),
            skipping: false,
            decided: false,
            fed: 0,
            consumed: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', chunk) {
            let piece = &chunk[start..nl];
            if self.skipping {
                // The tail of an irrelevant or oversize line: nothing to do.
            } else if self.carry.is_empty() {
                self.handle_line(piece);
            } else if self.carry.len() + piece.len() <= MAX_LINE {
                let mut line = std::mem::take(&mut self.carry);
                line.extend_from_slice(piece);
                self.handle_line(&line);
                line.clear();
                self.carry = line;
            } else {
                self.oversize();
            }
            self.end_line();
            self.consumed = self.fed + nl as u64 + 1;
            start = nl + 1;
        }
        let rest = &chunk[start..];
        if !self.skipping && !rest.is_empty() {
            self.carry.extend_from_slice(rest);
            if !self.decided && self.carry.len() >= DECIDE_AT {
                match classify(&self.carry) {
                    Quick::Skip => {
                        self.skipping = true;
                        self.carry.clear();
                    }
                    Quick::Parse | Quick::TokenCount => self.decided = true,
                }
            }
            if self.carry.len() > MAX_LINE {
                self.oversize();
            }
        }
        self.fed += chunk.len() as u64;
    }

    /// End of input for a complete (compressed) file: a last line without `\n` still counts.
    fn finish(&mut self) {
        if !self.skipping && !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.handle_line(&line);
        }
        self.end_line();
    }

    fn end_line(&mut self) {
        self.skipping = false;
        self.decided = false;
        self.carry.clear();
        if self.carry.capacity() > 4 * DECIDE_AT {
            self.carry.shrink_to(DECIDE_AT);
        }
    }

    fn handle_line(&mut self, line: &[u8]) {
        match classify(line) {
            Quick::Skip => {}
            Quick::Parse => self.record.apply_line(line),
            Quick::TokenCount => match token_total(line) {
                TokenTotal::Total(total) => self.record.tokens_total = Some(total),
                TokenTotal::NoUsage => {}
                TokenTotal::Unknown => self.record.apply_line(line),
            },
        }
    }

    /// A relevant line exceeded `MAX_LINE`: keep what its prefix tells, skip the rest.
    fn oversize(&mut self) {
        if let Some(synthetic) = salvage(&self.carry) {
            self.record.apply_line(&synthetic);
        }
        self.carry.clear();
        self.skipping = true;
    }
}

/// Builds a synthetic line around an escaped string body.
type Rebuild = fn(&[u8]) -> Vec<u8>;

/// Rebuild a small line from the prefix of a huge user message (inline images make them
/// huge; the text comes first). Returns `None` when the prefix is not a user message.
fn salvage(prefix: &[u8]) -> Option<Vec<u8>> {
    use memchr::memmem::find;
    let head = &prefix[..prefix.len().min(DECIDE_AT)];
    let (key, build): (&[u8], Rebuild) = if find(head, b"\"type\":\"user_message\"").is_some() {
        (b"\"message\":\"", |s| {
            [
                &br#"{"type":"event_msg","payload":{"type":"user_message","message":""#[..],
                s,
                br#"","images":[null]}}"#,
            ]
            .concat()
        })
    } else if find(head, b"\"type\":\"UserMessage\"").is_some() {
        (b"\"text\":\"", |s| {
            [&br#"{"type":"event_msg","payload":{"type":"item_completed","item":{"type":"UserMessage","content":[{"type":"text","text":""#[..], s, br#""},{"type":"image"}]}}}"#].concat()
        })
    } else if find(head, b"\"role\":\"user\"").is_some() {
        (b"\"text\":\"", |s| {
            [&br#"{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":""#[..], s, br#""},{"type":"input_image"}]}}"#].concat()
        })
    } else {
        return None;
    };
    let start = find(prefix, key)? + key.len();
    let raw = json_string_body(&prefix[start..]);
    Some(build(raw))
}

/// The escaped body of a JSON string starting at `s` (just after its opening quote), cut
/// safely if the closing quote is not in `s`.
fn json_string_body(s: &[u8]) -> &[u8] {
    // Every index the loop stops at is outside an escape sequence, hence a safe cut point.
    let mut i = 0;
    let mut safe = 0;
    while i < s.len() {
        safe = i;
        match s[i] {
            b'\\' if s.get(i + 1) == Some(&b'u') => i += 6,
            b'\\' => i += 2,
            b'"' => return &s[..i],
            _ => i += 1,
        }
    }
    if i == s.len() {
        safe = i;
    }
    // Unterminated: also avoid ending inside a UTF-8 sequence.
    match std::str::from_utf8(&s[..safe]) {
        Ok(_) => &s[..safe],
        Err(e) => &s[..e.valid_up_to()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = r#"{"timestamp":"2026-01-01T00:00:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"first prompt"}}"#;

    #[test]
    fn partial_last_line_is_not_consumed() {
        let data = format!("{USER}\n{}", &USER[..40]);
        let (r, consumed) = parse_bytes(data.as_bytes());
        assert_eq!(consumed as usize, USER.len() + 1);
        assert_eq!(r.real_prompts().count, 1);
    }

    #[test]
    fn huge_irrelevant_line_is_skipped_and_huge_prompt_salvaged() {
        let blob = "A".repeat(MAX_LINE + 10);
        let reasoning = format!(
            r#"{{"timestamp":"2026-01-01T00:00:00.000Z","type":"response_item","payload":{{"type":"reasoning","encrypted_content":"{blob}"}}}}"#
        );
        let image = format!(
            r#"{{"timestamp":"2026-01-01T00:00:00.000Z","type":"event_msg","payload":{{"type":"user_message","message":"look at \"this\" screenshot","images":["data:image/png;base64,{blob}"]}}}}"#
        );
        let data = format!("{reasoning}\n{image}\n{USER}\n");
        let mut record = RolloutRecord::default();
        let mut s = LineSplitter::new(&mut record);
        for chunk in data.as_bytes().chunks(CHUNK) {
            s.feed(chunk);
        }
        assert_eq!(s.consumed as usize, data.len());
        assert!(s.carry.capacity() <= MAX_LINE + CHUNK);
        let texts: Vec<_> = record.real_prompts().iter().map(|p| &*p.text).collect();
        assert_eq!(texts, vec!["look at \"this\" screenshot", "first prompt"]);
    }

    fn user(text: &str) -> String {
        format!(
            r#"{{"timestamp":"2026-01-01T00:00:00.000Z","type":"event_msg","payload":{{"type":"user_message","message":"{text}"}}}}"#
        ) + "\n"
    }

    /// `n` prompts named `tag`, each followed by `filler` bytes of tool output.
    fn rollout(tag: &str, n: usize, filler: usize) -> String {
        let out = format!(
            r#"{{"timestamp":"2026-01-01T00:00:00.000Z","type":"response_item","payload":{{"type":"function_call_output","call_id":"c","output":"{}"}}}}"#,
            "x".repeat(filler)
        ) + "\n";
        (0..n)
            .map(|i| user(&format!("prompt {i} of {tag}")) + &out)
            .collect()
    }

    fn read(path: &Path, prev: Option<&ParsedFile>) -> (ParsedFile, u64) {
        // Size and mtime identify a change here only if they moved; a rewrite within one
        // mtime tick to the same length is what the forced stat below stands for.
        let forced = prev.map(|p| {
            let mut p = p.clone();
            p.state.mtime_ns = i64::MIN;
            p
        });
        match read_rollout(path, false, forced.as_ref()).unwrap() {
            ReadOutcome::Updated { parsed, bytes_read } => (parsed, bytes_read),
            ReadOutcome::Unchanged => panic!("a change was not seen"),
        }
    }

    fn texts(r: &RolloutRecord) -> Vec<String> {
        r.real_prompts()
            .iter()
            .map(|p| p.text.to_string())
            .collect()
    }

    fn ino(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().ino()
    }

    #[test]
    fn a_rewrite_in_place_to_equal_or_greater_length_is_read_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let old = rollout("old", 3, 3000);
        std::fs::write(&path, &old).unwrap();
        let inode = ino(&path);
        let (first, _) = read(&path, None);
        assert_eq!(first.state.offset as usize, old.len());
        // Longer, different earlier content, same inode; then the same length again.
        for new in [rollout("new", 4, 3000), rollout("NEW", 4, 3000)] {
            let prev = read(&path, None).0;
            std::fs::write(&path, &new).unwrap();
            assert_eq!(ino(&path), inode, "a rewrite in place keeps the inode");
            let (parsed, bytes_read) = read(&path, Some(&prev));
            let (whole, consumed) = parse_bytes(new.as_bytes());
            assert_eq!(parsed.record, whole, "the old prefix was kept");
            assert_eq!(parsed.state.offset, consumed);
            // The window, then the whole file.
            assert_eq!(bytes_read as usize, CHECK_WINDOW + new.len());
        }
    }

    #[test]
    fn a_truncation_regrown_past_the_offset_is_read_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let old = rollout("old", 3, 3000);
        std::fs::write(&path, &old).unwrap();
        let (prev, _) = read(&path, None);
        // Cut mid-line, then written on with other bytes to beyond the old length.
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(old.len() as u64 / 3).unwrap();
        drop(f);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut f, rollout("regrown", 3, 3000).as_bytes()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > old.len());
        let (parsed, _) = read(&path, Some(&prev));
        assert_eq!(parsed.record, parse_bytes(&bytes).0);
        assert!(texts(&parsed.record).contains(&"prompt 2 of regrown".to_owned()));
    }

    #[test]
    fn appends_read_the_window_and_the_new_bytes_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        // Lines longer than a chunk and chunk boundaries inside lines: the window kept must be
        // the file's bytes before the offset whichever chunk they came in.
        let mut all = rollout("a", 3, CHUNK + 7);
        std::fs::write(&path, &all).unwrap();
        let (mut prev, _) = read(&path, None);
        for (i, more) in [
            user("short"),
            rollout("b", 2, 100),
            rollout("c", 2, CHUNK - 3),
            "partial".to_owned(),
            " line\n".to_owned(),
        ]
        .iter()
        .enumerate()
        {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            std::io::Write::write_all(&mut f, more.as_bytes()).unwrap();
            all += more;
            let (parsed, bytes_read) = read(&path, Some(&prev));
            let unread = all.len() as u64 - prev.state.offset;
            assert_eq!(bytes_read, CHECK_WINDOW as u64 + unread, "append {i}");
            let offset = parsed.state.offset as usize;
            let window = &all.as_bytes()[offset - CHECK_WINDOW..offset];
            assert_eq!(
                parsed.state.before_offset,
                window_hash(window),
                "append {i}"
            );
            assert_eq!(parsed.record, parse_bytes(all.as_bytes()).0, "append {i}");
            prev = parsed;
        }
    }

    #[test]
    fn unterminated_string_body_is_cut_safely() {
        assert_eq!(json_string_body(br#"abc\"d" rest"#), br#"abc\"d"#);
        let cut = json_string_body("é\\u00".as_bytes());
        assert!(std::str::from_utf8(cut).is_ok());
        assert!(!cut.contains(&b'\\'));
    }
}
