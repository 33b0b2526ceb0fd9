//! Text → index terms.
//!
//! The same function tokenizes documents and queries, so whatever it does to a word it does on
//! both sides and matching stays consistent even where the rules are crude (non-English text).
//!
//! Pipeline for one piece of text:
//! 1. split on every non-alphanumeric character (so `snake_case`, `kebab-case`, paths, URLs and
//!    punctuation all fall apart into words);
//! 2. split each word at case changes (`camelCase`, `HTTPServer` → `HTTP` + `Server`) and at script
//!    changes (`登录test` → `登录` + `test`); digits stay attached (`oauth2`, `k8s`, `s3` are names);
//! 3. lowercase;
//! 4. drop stopwords, single letters and absurdly long tokens (hashes, base64);
//! 5. stem ASCII words with the English Snowball stemmer; leave other scripts as they are
//!    (the English stemmer would only mangle them);
//! 6. scripts written without spaces (Han, Kana, Thai) become overlapping character bigrams, the
//!    usual cheap substitute for a word segmenter: "登录测试" → "登录", "录测", "测试".

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Tokens longer than this (in chars) are dropped: they are hashes, base64 or minified code,
/// never something a person types to find a session again.
const MAX_TOKEN_CHARS: usize = 32;

/// How a token relates to the word it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The word was not split at case changes.
    Plain,
    /// One case-split part of a word (`parse`, `Invoice`, `Date` of `parseInvoiceDate`).
    Part,
    /// The whole case-split word (`parseinvoicedate`), emitted after its parts: brand names
    /// are written both ways ("GitHub"/"github", "OAuth"/"oauth", "PostgreSQL"/"postgresql"),
    /// so an index holding both forms matches either spelling.
    Joined,
}

/// One query word as the user wrote it and the index term it became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Normalized, stemmed index term.
    pub term: String,
    /// The lowercased word before stemming, for explanations ("matched auth, login").
    pub surface: String,
    pub kind: Kind,
    /// Index of the source word in the text; the parts and joined form of one word share it.
    pub word: usize,
}

/// Normalized, stemmed index terms of `text`, in order, stopwords dropped. A word split at
/// case changes yields its parts and then the whole word.
///
/// ```
/// assert_eq!(codexd_route::tokenize("Fix the flaky loginTests"), ["fix", "flaki", "login", "test", "logintest"]);
/// ```
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |term, _, _, _| out.push(term.to_owned()));
    out
}

/// Like [`tokenize`] but keeps surface form, kind and word of every token (for queries).
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, |term, surface, kind, word| {
        out.push(Token {
            term: term.to_owned(),
            surface: surface.to_owned(),
            kind,
            word,
        })
    });
    out
}

/// The stem [`tokenize`] gives a plain lowercase word, stopword or not (word lists name
/// words by their usual forms; inflections of a stopword such as "looks" are indexed).
pub(crate) fn stem_word(word: &str) -> String {
    Stemmer::create(Algorithm::English)
        .stem(&word.to_lowercase())
        .into_owned()
}

/// Calls `f(term, surface, kind, word index)` for every token of `text`. The callback form lets
/// the indexer count terms without allocating a `String` per token.
pub(crate) fn for_each_token(text: &str, f: impl FnMut(&str, &str, Kind, usize)) {
    Tokenizer::new().for_each(text, f);
}

/// Tokenizer state worth keeping across documents: the stemmer and a memo of its results.
/// Stemming is the costly step (the Snowball stemmer allocates for every word) and sessions
/// repeat a small vocabulary, so a bulk build keeps one per thread: 10k sessions tokenize
/// about twice as fast.
pub struct Tokenizer {
    stemmer: Stemmer,
    memo: HashMap<Box<str>, Box<str>>,
}

/// Bound on the memo (a few MB at most); it starts over when full.
const MAX_MEMO: usize = 50_000;

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer::new()
    }
}

impl Tokenizer {
    pub fn new() -> Tokenizer {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
            memo: HashMap::new(),
        }
    }

    /// The stem of a lowercase ASCII word, or `None` for a stopword.
    fn stem(&mut self, word: &str) -> Option<&str> {
        if !self.memo.contains_key(word) {
            if self.memo.len() >= MAX_MEMO {
                self.memo.clear();
            }
            let stem: Box<str> = if is_stopword(word) {
                "".into()
            } else {
                self.stemmer.stem(word).into()
            };
            self.memo.insert(word.into(), stem);
        }
        Some(&*self.memo[word]).filter(|s| !s.is_empty())
    }

    /// See [`for_each_token`].
    pub(crate) fn for_each(&mut self, text: &str, mut f: impl FnMut(&str, &str, Kind, usize)) {
        let mut lower = String::new();
        let mut spans = Vec::new();
        // A "word" keeps its inner hyphens and underscores so the joined form can be emitted:
        // "clean-up" and "cleanup", "sign_in" and "signIn" and "signin" all meet.
        let words = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| w.chars().any(char::is_alphanumeric));
        for (n, word) in words.enumerate() {
            let joinable = split_word(word, &mut spans);
            let kind = if joinable { Kind::Part } else { Kind::Plain };
            for &(a, b) in &spans {
                lower.clear();
                push_lowercase(&mut lower, &word[a..b]);
                self.emit(&lower, &mut |t, s| f(t, s, kind, n));
            }
            if joinable {
                lower.clear();
                for &(a, b) in &spans {
                    push_lowercase(&mut lower, &word[a..b]);
                }
                self.emit(&lower, &mut |t, s| f(t, s, Kind::Joined, n));
            }
        }
    }

    /// Normalizes one lowercased, case-split part and hands the resulting term(s) to `f`.
    fn emit(&mut self, part: &str, f: &mut impl FnMut(&str, &str)) {
        let mut chars = part.chars();
        let Some(first) = chars.next() else { return };
        if is_unspaced_script(first) {
            // Parts never mix scripts (see `for_each_part`), so the whole part is unspaced text.
            emit_bigrams(part, f);
            return;
        }
        let n = part.chars().count();
        if n > MAX_TOKEN_CHARS {
            return;
        }
        if part.bytes().all(|b| b.is_ascii_lowercase()) {
            // Single letters carry no meaning on their own ("a", the "s" of "it's").
            if n < 2 {
                return;
            }
            if let Some(stem) = self.stem(part) {
                f(stem, part);
            }
        } else if part.bytes().all(|b| b.is_ascii_digit()) {
            // Numbers are kept (issue and PR numbers, ports, versions) but a lone digit is noise.
            if n >= 2 {
                f(part, part);
            }
        } else if n >= 2 || !first.is_ascii() {
            // Mixed letters and digits (`oauth2`, `k8s`) or other scripts (é, Cyrillic, Hangul):
            // kept verbatim. A single non-ASCII letter may be a whole word (e.g. Korean), keep it.
            f(part, part);
        }
    }
}

fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// Splits a word into parts at `-`/`_` and at case and script changes (byte ranges into
/// `spans`). Returns whether the parts should also be indexed joined: they came from a
/// compound (`clean-up`, `parseInvoice`), not merely from a change of script.
fn split_word(word: &str, spans: &mut Vec<(usize, usize)>) -> bool {
    spans.clear();
    // Most words: lowercase ASCII letters and digits, nothing to split.
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        spans.push((0, word.len()));
        return false;
    }
    let mut joinable = false;
    let mut offset = 0;
    let mut segments = 0;
    for seg in word.split(['-', '_']) {
        if !seg.is_empty() {
            segments += 1;
            joinable |= split_parts(seg, offset, spans);
        }
        offset += seg.len() + 1;
    }
    let has_unspaced = word.chars().any(is_unspaced_script);
    (joinable || segments > 1) && !has_unspaced
}

/// Overlapping bigrams of a run of unspaced-script characters; a lone character stays a unigram.
fn emit_bigrams(run: &str, f: &mut impl FnMut(&str, &str)) {
    let idx: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect();
    let n = idx.len() - 1;
    if n == 1 {
        f(run, run);
        return;
    }
    for w in idx.windows(3) {
        let bigram = &run[w[0]..w[2]];
        f(bigram, bigram);
    }
}

/// Splits an alphanumeric segment (starting at byte `offset` of its word) at case changes and
/// script changes, appending byte ranges to `spans`; returns whether any split was a case
/// change.
///
/// Case boundaries: lower→Upper (`camel|Case`), the last capital of an acronym before a
/// lowercase letter (`HTTP|Server`), digit→Upper (`S3|Bucket`). Script boundaries: any change
/// between an unspaced script (Han, Kana, Thai) and anything else.
fn split_parts(seg: &str, offset: usize, spans: &mut Vec<(usize, usize)>) -> bool {
    let mut start = 0;
    let mut case_split = false;
    let mut chars = seg.char_indices().peekable();
    let mut prev = chars.next().map_or(' ', |(_, c)| c);
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let case = (c.is_uppercase() && (prev.is_lowercase() || prev.is_numeric()))
            || (c.is_uppercase() && prev.is_uppercase() && next.is_some_and(char::is_lowercase));
        if case || is_unspaced_script(c) != is_unspaced_script(prev) {
            spans.push((offset + start, offset + i));
            start = i;
            case_split |= case;
        }
        prev = c;
    }
    spans.push((offset + start, offset + seg.len()));
    case_split
}

/// Scripts conventionally written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}' // CJK Extensions B–F, compatibility supplement
        | '\u{0E00}'..='\u{0E7F}' // Thai
        | '\u{0E80}'..='\u{0EFF}' // Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
    )
}

/// English function words plus the conversational filler people put around requests to an
/// agent ("can you please …", "let's now also …"). Checked before stemming, on lowercase words.
/// Developer words that merely are *common* ("fix", "test", "error") are deliberately not here:
/// BM25's IDF already discounts them and they still carry some signal.
fn is_stopword(w: &str) -> bool {
    // Sorted for binary search; a test keeps it sorted.
    STOPWORDS.binary_search(&w).is_ok()
}

pub(crate) const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "actually",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "else",
    "etc",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "go",
    "going",
    "gonna",
    "got",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "herself",
    "hey",
    "hi",
    "him",
    "himself",
    "his",
    "how",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "lets",
    "like",
    "ll",
    "look",
    "maybe",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "please",
    "pls",
    "re",
    "really",
    "same",
    "shall",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "something",
    "still",
    "such",
    "sure",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "thx",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "ve",
    "very",
    "via",
    "want",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "yeah",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopword_list_is_sorted_and_unique() {
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "keep STOPWORDS sorted"
        );
    }

    #[test]
    fn lowercases_and_drops_stopwords() {
        assert_eq!(
            tokenize("Can you please FIX the Login page?"),
            ["fix", "login", "page"]
        );
    }

    #[test]
    fn splits_camel_snake_kebab_and_paths() {
        assert_eq!(
            tokenize("parseInvoiceDate"),
            ["pars", "invoic", "date", "parseinvoiced"]
        );
        assert_eq!(tokenize("HTTPServer"), ["http", "server", "httpserver"]);
        assert_eq!(tokenize("S3Bucket"), ["s3", "bucket", "s3bucket"]);
        // Brand names match their lowercase spelling through the joined form.
        assert_eq!(tokenize("OAuth"), ["auth", "oauth"]);
        assert_eq!(tokenize("GitHub")[2], tokenize("github")[0]);
        assert_eq!(
            tokenize("retry_with_backoff"),
            ["retri", "backoff", "retrywithbackoff"]
        );
        assert_eq!(tokenize("billing-api"), ["bill", "api", "billingapi"]);
        assert_eq!(
            tokenize("src/auth/session_store.rs"),
            ["src", "auth", "session", "store", "sessionstor", "rs"]
        );
        // Hyphenation variants meet through the joined form.
        assert_eq!(tokenize("clean-up")[1], tokenize("cleanup")[0]);
        assert_eq!(tokenize("--json -v"), ["json"]);
    }

    #[test]
    fn digits_stay_attached_and_numbers_survive() {
        assert_eq!(tokenize("oauth2 k8s"), ["oauth2", "k8s"]);
        assert_eq!(tokenize("PR #1234 and step 2"), ["pr", "1234", "step"]);
    }

    #[test]
    fn stems_word_forms_together() {
        for (a, b) in [
            ("migrate", "migrating"),
            ("migration", "migrations"),
            ("invoice", "invoices"),
            ("retry", "retrying"),
            ("configure", "configuring"),
            ("database", "databases"),
        ] {
            assert_eq!(tokenize(a), tokenize(b), "{a} vs {b}");
        }
    }

    #[test]
    fn unicode_does_not_break() {
        // Accented Latin and Cyrillic: lowercased, not stemmed, kept whole.
        assert_eq!(tokenize("Café Ошибка"), ["café", "ошибка"]);
        // Han: bigrams, so a substring query still matches.
        assert_eq!(
            tokenize("修复登录测试"),
            ["修复", "复登", "登录", "录测", "测试"]
        );
        assert_eq!(tokenize("登录"), ["登录"]);
        assert_eq!(tokenize("字"), ["字"]);
        // Mixed scripts inside one "word" split at the script change.
        assert_eq!(tokenize("登录test"), ["登录", "test"]);
        // Emoji, combining marks, RTL text, zero-width joiners: no panic, something sensible.
        let odd = "🔥 fix\u{200d}it नमस्ते مرحبا e\u{301}t\u{e9} \u{0}";
        let t = tokenize(odd);
        assert!(t.contains(&"fix".to_owned()));
        // Deterministic: the same text always gives the same terms.
        assert_eq!(t, tokenize(odd));
    }

    #[test]
    fn long_junk_is_dropped() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(tokenize(&format!("revert {sha}")), ["revert"]);
    }

    #[test]
    fn surfaces_are_kept_for_explanations() {
        let t = tokens("Migrating invoices");
        assert_eq!(t[0].surface, "migrating");
        assert_eq!(t[0].term, "migrat");
        assert_eq!(t[1].surface, "invoices");
        let t = tokens("fix parseUser");
        assert_eq!(
            t.iter().map(|t| (t.kind, t.word)).collect::<Vec<_>>(),
            [
                (Kind::Plain, 0),
                (Kind::Part, 1),
                (Kind::Part, 1),
                (Kind::Joined, 1)
            ]
        );
    }
}
