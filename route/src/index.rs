//! The incremental inverted index and query evaluation.
//!
//! Layout, chosen so that an update touches only the changed document and a query touches only
//! the postings of its own words:
//! - a sorted term dictionary (`BTreeMap<term, id>`) — exact lookups and prefix ranges;
//! - per term, one postings list sorted by doc id, each posting holding the term frequency in
//!   every field, plus per-field document frequencies;
//! - per document, its own `(term id, tf per field)` list, so removing or replacing it visits
//!   exactly its postings, and explanations can look terms up without the text;
//! - dense per-slot arrays (field lengths) for the hot scoring loop.
//!
//! Freed doc slots and term ids are recycled, so a long-running daemon does not grow with churn.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::generic::{WordClass, classify};
use crate::score::{
    COORD_EXPONENT, Field, MAX_PREFIX_EXPANSION, MAX_PREFIX_SCAN, MIN_PREFIX_INDEX_CHARS,
    MIN_PREFIX_QUERY_CHARS, NF, PENALTY, PREFIX_WEIGHT, Place, bm25f_tf, context_discount,
    coverage_weight, describe_age, idf, place_of, recency_factor,
};
use crate::termlist::TermList;
use crate::tokenize::{Kind, Token, Tokenizer, tokens};
use crate::{DEFAULT_LIMIT, DocFields, DocMeta, Hit, Options, Route, Thresholds};

type TermId = u32;
type DocId = u32;
type DirId = u32;
/// A repository (or, without one, a directory) whose sessions share context words.
type ProjId = u32;
/// `doc_proj` of a slot without a project (or an empty one).
const NO_PROJ: ProjId = ProjId::MAX;

/// At most this many tokens are indexed per field of one session: a prompt with a pasted 5 MB
/// log must not make an update slow. The first tokens are the ones a person would refer to.
const MAX_FIELD_TOKENS: usize = 20_000;

/// Words in at most this share of sessions admit candidates when routing ([`Index::score`])…
const ADMIT_FRACTION: f32 = 0.02;
/// …or in at most this many, whatever the share (small homes score everything)…
const ADMIT_MIN: usize = 1_000;
/// …and only the rarest this many of them (a pasted log has dozens of words). When no word
/// is that rare, the rarest [`ADMIT_COMMON`] admit.
const ADMIT_WORDS: usize = 8;
const ADMIT_COMMON: usize = 2;

/// Candidates a routing decision looks at, whatever the caller's limit: the runner-up, and the
/// other attempt at the same task or its twin in the caller's repository, may rank lower.
const ANALYZED_CANDIDATES: usize = 8;

/// A routed prompt's first this many distinct words are used: a request comes first, and the
/// rest of a pasted log says less about which session it belongs to than it costs to score.
const ROUTE_QUERY_TERMS: usize = 32;

/// A distinctive word held by more than this share of all sessions (and by at least
/// [`UBIQUITOUS_MIN`]) is generic in this person's history.
const UBIQUITOUS_FRACTION: f32 = 0.2;
const UBIQUITOUS_MIN: usize = 1_000;

/// At most this many distinct query words are used (a pasted paragraph is still a query).
const MAX_QUERY_TERMS: usize = 64;

/// A routed prompt's distinctive word also matches the words general English relates to it
/// ([`crate::related`]: "picture" → "image"), at this weight of an exact match…
const RELATED_WEIGHT: f32 = 0.5;
/// …when the related word is itself distinctive and held by at most this share of sessions
/// (a related word most sessions hold tells none of them apart)…
const RELATED_FRACTION: f32 = 0.02;
/// …for a typed word held by at most this share of sessions: a word the person uses often is
/// their own word for the thing, and its related words would only be its other senses
/// ("provider" → "render").
const RELATED_TYPED_FRACTION: f32 = 0.005;

/// Packed: 9 bytes instead of 12 (the `u32` would otherwise align the struct to 4 and pad
/// the five counts). Postings are the index's largest part and this is a quarter of them.
/// Fields are only ever copied out (a packed `u32` cannot be borrowed); `tf` is bytes.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[repr(C, packed)]
struct Posting {
    doc: DocId,
    /// Saturates at 255: BM25 flattens long before that.
    tf: [u8; NF],
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Term {
    /// Shared with the dictionary's key.
    text: Arc<str>,
    /// Sorted by `doc`.
    postings: Vec<Posting>,
    /// Number of documents with the term in each field (recomputed when loaded).
    #[serde(skip)]
    df: [u32; NF],
}

#[derive(Debug, Serialize, Deserialize)]
struct Doc {
    /// Shared with `Index::keys` (one copy of each session id).
    key: Arc<str>,
    /// What scoring needs of [`DocMeta`]; its directories are interned in `cwd_dir`/`root_dir`.
    updated_unix: i64,
    archived: bool,
    non_interactive: bool,
    /// [`DocMeta::fingerprint`].
    fingerprint: u64,
    /// Sorted by term id, delta-encoded ([`TermList`]). Term frequencies live only in the
    /// postings (one copy, not two: this list is the index's second largest part).
    terms: TermList,
    cwd_dir: Option<DirId>,
    root_dir: Option<DirId>,
    /// The repository it belongs to, for [`context_discount`].
    proj: Option<ProjId>,
}

/// A bulk build in progress ([`Index::bulk`]): words are looked up in a temporary hash map
/// kept across calls, dropped with it.
pub struct Bulk<'a> {
    index: &'a mut Index,
    lookup: HashMap<Arc<str>, TermId>,
}

impl Bulk<'_> {
    /// [`Index::upsert_prepared`].
    pub fn upsert(&mut self, key: &str, prepared: Prepared, meta: DocMeta) {
        self.index
            .upsert_with(key, prepared, meta, Some(&mut self.lookup));
    }
}

/// In-memory inverted index over sessions. See the crate docs.
#[derive(Debug, Default)]
pub struct Index {
    dict: BTreeMap<Arc<str>, TermId>,
    terms: Vec<Term>,
    free_terms: Vec<TermId>,
    keys: HashMap<Arc<str>, DocId>,
    docs: Vec<Option<Doc>>,
    free_docs: Vec<DocId>,
    /// Field lengths (token counts) per doc slot; dense for the scoring loop.
    lens: Vec<[u32; NF]>,
    total_len: [u64; NF],
    /// Interned directories (cwd and git roots): few distinct values shared by many sessions,
    /// so the same-project test runs once per directory per query, not once per session.
    /// Never freed; the number of distinct directories a user works in is small.
    dirs: Vec<PathBuf>,
    dir_ids: HashMap<PathBuf, DirId>,
    /// Interned projects (repositories); never freed, like `dirs`.
    projs: Vec<Arc<str>>,
    proj_ids: HashMap<Arc<str>, ProjId>,
    /// Live sessions per project.
    proj_docs: Vec<u32>,
    /// Project per doc slot ([`NO_PROJ`] for none); dense for the scoring loop.
    doc_proj: Vec<ProjId>,
    /// What ranking needs of each doc slot, dense: a query at 100k sessions ranks tens of
    /// thousands of candidates, and each `Doc` lives in its own cache lines.
    slot: Vec<Slot>,
    /// Interned (cwd, git root) pairs of `slot`: the caller's place is computed once per pair.
    pairs: Vec<(Option<DirId>, Option<DirId>)>,
    pair_ids: HashMap<(Option<DirId>, Option<DirId>), u32>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    updated: i64,
    /// Index into `Index::pairs`.
    pair: u32,
    archived: bool,
    non_interactive: bool,
    /// The slot holds a document.
    live: bool,
}

/// Bumped whenever the stored layout or the tokenizer's output changes.
const STORED_FORMAT: u32 = 3;

#[derive(Serialize)]
struct StoredRef<'a> {
    format: u32,
    terms: &'a [Term],
    free_terms: &'a [TermId],
    docs: &'a [Option<Doc>],
    free_docs: &'a [DocId],
    lens: &'a [[u32; NF]],
    dirs: &'a [PathBuf],
    projs: &'a [Arc<str>],
}

#[derive(Deserialize)]
struct Stored {
    format: u32,
    terms: Vec<Term>,
    free_terms: Vec<TermId>,
    docs: Vec<Option<Doc>>,
    free_docs: Vec<DocId>,
    lens: Vec<[u32; NF]>,
    dirs: Vec<PathBuf>,
    projs: Vec<Arc<str>>,
}

/// One distinct query word with the indexed terms it matches.
#[derive(Clone, Debug)]
struct QueryTerm {
    surface: String,
    /// `(term, weight)`: the exact term at 1.0, prefix matches at [`PREFIX_WEIGHT`], then
    /// (routing only) one per `related` word at [`RELATED_WEIGHT`].
    expansions: Vec<(TermId, f32)>,
    /// The related words matched, as written (for the reasons), in `expansions`' order.
    related: Vec<&'static str>,
    /// IDF of what the word matches; its share of the query in the coverage.
    weight: f32,
    /// Whether the word names something or is generic ([`crate::generic`]).
    class: WordClass,
}

impl QueryTerm {
    /// What the word matches as typed: exactly or by prefix.
    fn typed(&self) -> &[(TermId, f32)] {
        &self.expansions[..self.expansions.len() - self.related.len()]
    }

    /// What it matches only through its related words.
    fn through_related(&self) -> &[(TermId, f32)] {
        &self.expansions[self.expansions.len() - self.related.len()..]
    }
}

/// What a prompt asks for, by the words it is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    /// At least one distinctive word.
    Specific,
    /// Only generic task words ("add tests", "fix the bug please").
    Vague,
    /// No request at all ("thanks!", "ok").
    Empty,
}

/// A query's words and ranked candidates, before the decision.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub kind: QueryKind,
    q: Vec<QueryTerm>,
    pub hits: Vec<Hit>,
}

fn query_kind(q: &[QueryTerm]) -> QueryKind {
    if q.iter().any(|t| t.class == WordClass::Distinctive) {
        QueryKind::Specific
    } else if q.iter().any(|t| t.class == WordClass::Task) {
        QueryKind::Vague
    } else {
        QueryKind::Empty
    }
}

/// A vague prompt continues the session last used in the caller's project only when that
/// session was used this recently…
const VAGUE_RECENT_SECS: i64 = 8 * 3600;
/// …and no other session of the project was used within this much of it (else it is not
/// clear which one is meant).
const VAGUE_CLEAR_GAP_SECS: i64 = 3600;
/// Confidence of such a resume: below the confirmation band (`codexd_proto::CONFIRM_BELOW`), so
/// a person is asked; on the calibration home about three in four of these were right.
const VAGUE_CONFIDENCE: f64 = 0.75;

/// Look postings up by galloping when the candidates are this many times fewer than them.
const GALLOP_RATIO: usize = 8;

/// The postings a query word's scoring visits: all of them, or those of the candidates.
enum Postings<'a> {
    All(std::slice::Iter<'a, Posting>),
    Among(Gallop<'a>),
}

impl<'a> Iterator for Postings<'a> {
    type Item = &'a Posting;

    #[inline]
    fn next(&mut self) -> Option<&'a Posting> {
        match self {
            Postings::All(it) => it.next(),
            Postings::Among(g) => g.next(),
        }
    }
}

/// The postings of `postings` (sorted by doc) whose doc is in `docs` (sorted), found by
/// exponential search from the last one found.
struct Gallop<'a> {
    postings: &'a [Posting],
    docs: std::slice::Iter<'a, DocId>,
}

fn gallop<'a>(postings: &'a [Posting], docs: &'a [DocId]) -> Gallop<'a> {
    Gallop {
        postings,
        docs: docs.iter(),
    }
}

impl<'a> Iterator for Gallop<'a> {
    type Item = &'a Posting;

    fn next(&mut self) -> Option<&'a Posting> {
        loop {
            let &doc = self.docs.next()?;
            let rest = self.postings;
            let mut bound = 1;
            while bound < rest.len() && rest[bound].doc < doc {
                bound *= 2;
            }
            let at = rest[..(bound + 1).min(rest.len())].partition_point(|p| p.doc < doc);
            self.postings = &rest[at..];
            match self.postings.first() {
                None => return None,
                Some(p) if p.doc == doc => {
                    self.postings = &self.postings[1..];
                    return Some(p);
                }
                Some(_) => {}
            }
        }
    }
}

/// A search filter: `keep(session key, same project)`.
type Keep<'a> = dyn Fn(&str, bool) -> bool + 'a;

/// Per query word (by position): for each project with sessions holding it as subject, how
/// many do, sorted by project (empty for generic words).
type Context = Vec<Vec<(ProjId, u32)>>;

/// A scored, not yet explained, candidate.
#[derive(Clone, Copy, Debug)]
struct Scored {
    doc: DocId,
    score: f32,
    /// Last use, for ranking ties (kept here: the ranking compares thousands of candidates).
    updated: i64,
    coverage: f32,
    /// Weight of the distinctive query words found in what the session said and did (every
    /// field but its place): the prompt's *subject*, not its context.
    subject: f32,
    place: Place,
    /// A query word occurs in the title, name or prompts (not only in the work or place).
    said: bool,
    /// Bit i: distinctive query word i is part of this session's task — found in its name or
    /// first prompt, and not a context word of its repository.
    task_mask: u64,
}

/// A document's term counts, computed without the index (see [`Index::upsert_prepared`]).
#[derive(Debug, Default)]
pub struct Prepared {
    counts: HashMap<String, [u16; NF]>,
    lens: [u32; NF],
    /// [`project_key`] of the document.
    project: Option<String>,
}

impl Prepared {
    /// Tokenize a document's fields: the pure, expensive half of an upsert.
    pub fn new(fields: &DocFields<'_>, meta: &DocMeta) -> Prepared {
        Prepared::with(&mut Tokenizer::new(), fields, meta)
    }

    /// [`Prepared::new`] with a tokenizer kept across documents (bulk builds: one per thread).
    pub fn with(tokenizer: &mut Tokenizer, fields: &DocFields<'_>, meta: &DocMeta) -> Prepared {
        // Count first, intern after: one dictionary lookup per distinct word, not per token.
        let mut counts: HashMap<String, [u16; NF]> = HashMap::new();
        let mut lens = [0u32; NF];
        let mut add = |field: Field, text: &str| {
            let f = field as usize;
            tokenizer.for_each(text, |term, _, _, _| {
                if lens[f] as usize >= MAX_FIELD_TOKENS {
                    return;
                }
                lens[f] += 1;
                match counts.get_mut(term) {
                    Some(tf) => tf[f] = tf[f].saturating_add(1),
                    None => {
                        let mut tf = [0; NF];
                        tf[f] = 1;
                        counts.insert(term.to_owned(), tf);
                    }
                }
            });
        };
        if let Some(name) = fields.name {
            add(Field::Title, name);
        }
        if let Some(first) = fields.first_prompt {
            add(Field::First, first);
        }
        for p in fields.prompts {
            add(Field::Prompts, p);
        }
        for f in fields.files {
            add(Field::Work, f);
        }
        if let Some(answer) = fields.answer {
            add(Field::Work, answer);
        }
        add(
            Field::Place,
            &place_text(fields.cwd, meta.git_root.as_deref(), fields.repo),
        );

        Prepared {
            counts,
            lens,
            project: project_key(fields.repo, meta),
        }
    }
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    /// Give back the spare capacity of a bulk build: postings lists grown by doubling keep up
    /// to half their memory unused. Later upserts grow them again as needed.
    pub fn shrink_to_fit(&mut self) {
        for term in &mut self.terms {
            term.postings.shrink_to_fit();
        }
        self.terms.shrink_to_fit();
        self.docs.shrink_to_fit();
        self.lens.shrink_to_fit();
        self.doc_proj.shrink_to_fit();
        self.slot.shrink_to_fit();
    }

    /// Approximate heap bytes by part ([`crate::memory`]).
    pub fn memory(&self) -> crate::memory::Report {
        use crate::memory::{arc_str_bytes, map_bytes, size_class, vec_bytes};
        let mut r = crate::memory::Report::default();
        r.add(
            "index: postings",
            self.terms.iter().map(|t| vec_bytes(&t.postings)).sum(),
        );
        r.add(
            "index: terms of each document",
            self.docs
                .iter()
                .flatten()
                .map(|d| size_class(d.terms.byte_len()))
                .sum(),
        );
        // A B-tree node holds up to 11 entries and is about 2/3 full.
        let dict = self.dict.len() * (size_of::<(Arc<str>, TermId)>() * 3 / 2);
        let texts: usize = self.terms.iter().map(|t| arc_str_bytes(&t.text)).sum();
        r.add(
            "index: dictionary (words, B-tree, term table)",
            dict + texts + vec_bytes(&self.terms),
        );
        let keys: usize = self.keys.keys().map(|k| arc_str_bytes(k)).sum();
        r.add(
            "index: documents (ids, key map, doc table)",
            keys + map_bytes(&self.keys) + vec_bytes(&self.docs) + vec_bytes(&self.free_docs),
        );
        r.add(
            "index: dense per-slot arrays",
            vec_bytes(&self.lens) + vec_bytes(&self.slot) + vec_bytes(&self.doc_proj),
        );
        let dirs: usize = self
            .dirs
            .iter()
            .map(|d| 2 * size_class(d.as_os_str().len()))
            .sum();
        r.add(
            "index: directories, projects, pairs",
            dirs + vec_bytes(&self.dirs)
                + map_bytes(&self.dir_ids)
                + self.projs.iter().map(|p| arc_str_bytes(p)).sum::<usize>()
                + vec_bytes(&self.projs)
                + map_bytes(&self.proj_ids)
                + vec_bytes(&self.pairs)
                + map_bytes(&self.pair_ids),
        );
        r
    }

    /// The fingerprint the caller gave session `key` ([`DocMeta::fingerprint`]).
    pub fn fingerprint(&self, key: &str) -> Option<u64> {
        let &id = self.keys.get(key)?;
        self.docs[id as usize].as_ref().map(|d| d.fingerprint)
    }

    /// Every session key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(|k| &**k)
    }

    /// The index in a compact binary form, for a warm start ([`Index::from_bytes`]). The
    /// format is private and versioned; lookup tables are rebuilt on load, not stored.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(&StoredRef {
            format: STORED_FORMAT,
            terms: &self.terms,
            free_terms: &self.free_terms,
            docs: &self.docs,
            free_docs: &self.free_docs,
            lens: &self.lens,
            dirs: &self.dirs,
            projs: &self.projs,
        })
        .unwrap_or_default()
    }

    /// Read [`Index::to_bytes`]. `None` for another format, or for bytes that do not decode
    /// into a fully consistent index: a damaged file must cost a rebuild, never a panic or a
    /// wrong answer later. Counts derived from the postings are recomputed, not trusted.
    pub fn from_bytes(bytes: &[u8]) -> Option<Index> {
        let mut s: Stored = postcard::from_bytes(bytes).ok()?;
        if s.format != STORED_FORMAT || s.lens.len() != s.docs.len() {
            return None;
        }
        let (n_terms, n_docs, n_dirs, n_projs) =
            (s.terms.len(), s.docs.len(), s.dirs.len(), s.projs.len());
        let in_range = s.free_terms.iter().all(|&t| (t as usize) < n_terms)
            && s.free_docs.iter().all(|&d| (d as usize) < n_docs)
            && s.terms
                .iter()
                .all(|t| t.postings.iter().all(|p| (p.doc as usize) < n_docs))
            && s.docs.iter().flatten().all(|d| {
                d.terms.iter().all(|t| (t as usize) < n_terms)
                    && [d.cwd_dir, d.root_dir]
                        .iter()
                        .flatten()
                        .all(|&x| (x as usize) < n_dirs)
                    && d.proj.is_none_or(|p| (p as usize) < n_projs)
            });
        if !in_range {
            return None;
        }
        for term in &mut s.terms {
            term.df = [0; NF];
            for p in &term.postings {
                for (df, &n) in term.df.iter_mut().zip(&p.tf) {
                    *df += u32::from(n > 0);
                }
            }
        }
        let mut total_len = [0u64; NF];
        for lens in &s.lens {
            for (total, &n) in total_len.iter_mut().zip(lens) {
                *total += u64::from(n);
            }
        }
        let dict = s
            .terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.postings.is_empty())
            .map(|(id, t)| (Arc::clone(&t.text), id as TermId))
            .collect();
        let keys = s
            .docs
            .iter()
            .enumerate()
            .filter_map(|(id, d)| Some((Arc::clone(&d.as_ref()?.key), id as DocId)))
            .collect();
        let dir_ids = s
            .dirs
            .iter()
            .enumerate()
            .map(|(id, d)| (d.clone(), id as DirId))
            .collect();
        let proj_ids: HashMap<Arc<str>, ProjId> = s
            .projs
            .iter()
            .enumerate()
            .map(|(id, p)| (Arc::clone(p), id as ProjId))
            .collect();
        let mut proj_docs = vec![0u32; s.projs.len()];
        let doc_proj: Vec<ProjId> = s
            .docs
            .iter()
            .map(|d| match d.as_ref().and_then(|d| d.proj) {
                Some(p) => {
                    proj_docs[p as usize] += 1;
                    p
                }
                None => NO_PROJ,
            })
            .collect();
        let mut pairs = Vec::new();
        let mut pair_ids = HashMap::new();
        let slot: Vec<Slot> = s
            .docs
            .iter()
            .map(|d| {
                d.as_ref().map_or_else(Slot::default, |d| Slot {
                    updated: d.updated_unix,
                    pair: intern_pair(&mut pairs, &mut pair_ids, (d.cwd_dir, d.root_dir)),
                    archived: d.archived,
                    non_interactive: d.non_interactive,
                    live: true,
                })
            })
            .collect();
        let index = Index {
            slot,
            pairs,
            pair_ids,
            dict,
            terms: s.terms,
            free_terms: s.free_terms,
            keys,
            docs: s.docs,
            free_docs: s.free_docs,
            lens: s.lens,
            total_len,
            dirs: s.dirs,
            dir_ids,
            proj_ids,
            projs: s.projs,
            proj_docs,
            doc_proj,
        };
        index.consistent().then_some(index)
    }

    /// The structural invariants that queries and updates rely on (what `check_invariants`
    /// asserts in tests), as a yes/no for data from outside.
    fn consistent(&self) -> bool {
        let live_docs = self.docs.iter().flatten().count();
        let live_terms = self.terms.iter().filter(|t| !t.postings.is_empty()).count();
        let free_terms: HashSet<TermId> = self.free_terms.iter().copied().collect();
        let free_docs: HashSet<DocId> = self.free_docs.iter().copied().collect();
        self.keys.len() == live_docs
            && self.dict.len() == live_terms
            && self.dir_ids.len() == self.dirs.len()
            && self.proj_ids.len() == self.projs.len()
            && self.doc_proj.len() == self.docs.len()
            && self.slot.len() == self.docs.len()
            && self
                .docs
                .iter()
                .zip(&self.lens)
                .enumerate()
                .all(|(id, (slot, lens))| match slot {
                    None => *lens == [0; NF] && free_docs.contains(&(id as DocId)),
                    // A document's terms are distinct and ascending by construction.
                    Some(doc) => {
                        !free_docs.contains(&(id as DocId))
                            && doc.terms.iter().all(|t| {
                                let postings = &self.terms[t as usize].postings;
                                postings
                                    .binary_search_by_key(&(id as DocId), |p| p.doc)
                                    .is_ok_and(|i| postings[i].tf.iter().any(|&n| n > 0))
                            })
                    }
                })
            && self.terms.iter().enumerate().all(|(t, term)| {
                if term.postings.is_empty() {
                    return free_terms.contains(&(t as TermId));
                }
                !free_terms.contains(&(t as TermId))
                    && term.postings.windows(2).all(|w| w[0].doc < w[1].doc)
            })
            // Every (document, term) pair was found among the postings above, and neither side
            // repeats a pair: as many postings as pairs means every posting is one of them (so
            // also that it refers to a live document).
            && self.terms.iter().map(|t| t.postings.len()).sum::<usize>()
                == self
                    .docs
                    .iter()
                    .flatten()
                    .map(|d| d.terms.iter().count())
                    .sum::<usize>()
    }

    /// Number of sessions indexed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// Adds the session `key`, replacing any previous version of it. Only the postings of this
    /// one session are touched.
    pub fn upsert(&mut self, key: &str, fields: &DocFields<'_>, meta: DocMeta) {
        let prepared = Prepared::new(fields, &meta);
        self.upsert_prepared(key, prepared, meta);
    }

    /// Insert a document tokenized beforehand with [`Prepared::new`] (which needs no access
    /// to the index, so a bulk build can tokenize on every core and insert on one).
    pub fn upsert_prepared(&mut self, key: &str, prepared: Prepared, meta: DocMeta) {
        self.upsert_with(key, prepared, meta, None);
    }

    /// Insert many documents (a rebuild): the same result as [`Index::upsert_prepared`] for
    /// each, but words are looked up in a temporary hash map rather than the ordered
    /// dictionary, which a bulk build would otherwise search ~60 times per session.
    pub fn upsert_many<K: AsRef<str>>(
        &mut self,
        docs: impl IntoIterator<Item = (K, Prepared, DocMeta)>,
    ) {
        let mut bulk = self.bulk();
        for (key, prepared, meta) in docs {
            bulk.upsert(key.as_ref(), prepared, meta);
        }
    }

    /// [`Index::upsert_many`] a batch at a time: the caller can tokenize the next documents
    /// between calls, so a rebuild never holds every session's tokens at once.
    pub fn bulk(&mut self) -> Bulk<'_> {
        Bulk {
            index: self,
            lookup: HashMap::new(),
        }
    }

    fn upsert_with(
        &mut self,
        key: &str,
        prepared: Prepared,
        meta: DocMeta,
        mut lookup: Option<&mut HashMap<Arc<str>, TermId>>,
    ) {
        let Prepared {
            counts,
            lens,
            project,
        } = prepared;
        let id = match self.keys.get(key) {
            Some(&id) => {
                self.unlink(id);
                id
            }
            None => {
                let id = self.free_docs.pop().unwrap_or_else(|| {
                    self.docs.push(None);
                    self.lens.push([0; NF]);
                    self.doc_proj.push(NO_PROJ);
                    self.slot.push(Slot::default());
                    (self.docs.len() - 1) as DocId
                });
                self.keys.insert(key.into(), id);
                id
            }
        };
        let key = self
            .keys
            .get_key_value(key)
            .map(|(k, _)| Arc::clone(k))
            .expect("inserted above");

        let mut terms: Vec<(TermId, [u16; NF])> = counts
            .into_iter()
            .map(|(t, tf)| match lookup.as_deref_mut() {
                Some(lookup) => (self.intern_via(lookup, &t), tf),
                None => (self.intern(&t), tf),
            })
            .collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        let term_list = TermList::from_sorted(terms.iter().map(|&(t, _)| t))
            .expect("interned ids are distinct");
        for &(t, tf) in &terms {
            let term = &mut self.terms[t as usize];
            let pos = term
                .postings
                .binary_search_by_key(&id, |p| p.doc)
                .unwrap_or_else(|e| e);
            let tf = tf.map(|n| n.min(u16::from(u8::MAX)) as u8);
            term.postings.insert(pos, Posting { doc: id, tf });
            for (df, &n) in term.df.iter_mut().zip(&tf) {
                *df += u32::from(n > 0);
            }
        }
        for (total, &n) in self.total_len.iter_mut().zip(&lens) {
            *total += u64::from(n);
        }
        self.lens[id as usize] = lens;
        let cwd_dir = meta.cwd.as_deref().map(|d| self.intern_dir(d));
        let root_dir = meta.git_root.as_deref().map(|d| self.intern_dir(d));
        let proj = project.as_deref().map(|p| self.intern_proj(p));
        if let Some(p) = proj {
            self.proj_docs[p as usize] += 1;
        }
        self.doc_proj[id as usize] = proj.unwrap_or(NO_PROJ);
        self.slot[id as usize] = Slot {
            updated: meta.updated_unix,
            pair: intern_pair(&mut self.pairs, &mut self.pair_ids, (cwd_dir, root_dir)),
            archived: meta.archived,
            non_interactive: meta.non_interactive,
            live: true,
        };
        self.docs[id as usize] = Some(Doc {
            key,
            updated_unix: meta.updated_unix,
            archived: meta.archived,
            non_interactive: meta.non_interactive,
            fingerprint: meta.fingerprint,
            terms: term_list,
            cwd_dir,
            root_dir,
            proj,
        });
    }

    /// Removes the session `key` (no-op if absent).
    pub fn remove(&mut self, key: &str) {
        if let Some(id) = self.keys.remove(key) {
            self.unlink(id);
            self.free_docs.push(id);
        }
    }

    /// Takes doc `id` out of every postings list and the length totals, leaving its slot empty.
    fn unlink(&mut self, id: DocId) {
        let Some(doc) = self.docs[id as usize].take() else {
            return;
        };
        for t in doc.terms.iter() {
            let term = &mut self.terms[t as usize];
            if let Ok(pos) = term.postings.binary_search_by_key(&id, |p| p.doc) {
                let tf = term.postings.remove(pos).tf;
                for (df, &n) in term.df.iter_mut().zip(&tf) {
                    *df -= u32::from(n > 0);
                }
            }
            if term.postings.is_empty() {
                // Forget the word entirely so prefix scans do not wade through dead entries.
                let text = std::mem::take(&mut term.text);
                self.dict.remove(&text);
                self.free_terms.push(t);
            }
        }
        if let Some(p) = doc.proj {
            self.proj_docs[p as usize] -= 1;
        }
        self.doc_proj[id as usize] = NO_PROJ;
        self.slot[id as usize] = Slot::default();
        let lens = std::mem::take(&mut self.lens[id as usize]);
        for (total, &n) in self.total_len.iter_mut().zip(&lens) {
            *total -= u64::from(n);
        }
    }

    fn intern(&mut self, text: &str) -> TermId {
        if let Some(&id) = self.dict.get(text) {
            return id;
        }
        let boxed: Arc<str> = text.into();
        let id = match self.free_terms.pop() {
            Some(id) => {
                self.terms[id as usize].text = Arc::clone(&boxed);
                id
            }
            None => {
                self.terms.push(Term {
                    text: Arc::clone(&boxed),
                    postings: Vec::new(),
                    df: [0; NF],
                });
                (self.terms.len() - 1) as TermId
            }
        };
        self.dict.insert(boxed, id);
        id
    }

    /// [`Index::intern`] through a cache of earlier answers. An entry may be stale (its term
    /// was freed and the id reused), so a hit is checked against the term's text.
    fn intern_via(&mut self, lookup: &mut HashMap<Arc<str>, TermId>, text: &str) -> TermId {
        if let Some(&id) = lookup.get(text)
            && *self.terms[id as usize].text == *text
        {
            return id;
        }
        let id = self.intern(text);
        lookup.insert(Arc::clone(&self.terms[id as usize].text), id);
        id
    }

    fn intern_proj(&mut self, key: &str) -> ProjId {
        if let Some(&id) = self.proj_ids.get(key) {
            return id;
        }
        let id = self.projs.len() as ProjId;
        let key: Arc<str> = key.into();
        self.projs.push(Arc::clone(&key));
        self.proj_ids.insert(key, id);
        self.proj_docs.push(0);
        id
    }

    fn intern_dir(&mut self, dir: &str) -> DirId {
        let path = PathBuf::from(dir);
        if let Some(&id) = self.dir_ids.get(&path) {
            return id;
        }
        let id = self.dirs.len() as DirId;
        self.dirs.push(path.clone());
        self.dir_ids.insert(path, id);
        id
    }

    /// Sessions matching at least one query word, best first: field-weighted BM25 × recency ×
    /// same-project boost × penalties. At most `opts.limit` hits (0 → [`DEFAULT_LIMIT`]).
    pub fn search(&self, query: &str, opts: &Options) -> Vec<Hit> {
        self.search_n(query, opts, effective_limit(opts.limit))
    }

    /// Routes `query` with the calibrated default [`Thresholds`].
    pub fn route(&self, query: &str, opts: &Options) -> Route {
        self.route_with(query, opts, &Thresholds::default())
    }

    /// Routes `query` with explicit thresholds (the evaluation uses this to calibrate).
    pub fn route_with(&self, query: &str, opts: &Options, thresholds: &Thresholds) -> Route {
        self.decide_analyzed(self.analyze(query, opts), opts, thresholds)
    }

    /// The part of routing that does not depend on the thresholds: the query's words and the
    /// ranked candidates (an evaluation decides many times over one analysis).
    pub fn analyze(&self, query: &str, opts: &Options) -> Analysis {
        let limit = effective_limit(opts.limit);
        let q = self.prepare_n(query, ROUTE_QUERY_TERMS, true);
        let kind = query_kind(&q);
        // The decision needs the runner-up (and for a task done twice, the one after it)
        // even when the caller wants a single candidate. A prompt of generic words only is
        // decided by where and when, not by its words (`decide_vague`): nothing to rank.
        let hits = match kind {
            QueryKind::Specific => {
                self.search_prepared_filtered(
                    &q,
                    opts,
                    0..limit.max(ANALYZED_CANDIDATES),
                    None,
                    false,
                    true,
                )
                .0
            }
            QueryKind::Vague | QueryKind::Empty => Vec::new(),
        };
        Analysis { kind, q, hits }
    }

    /// Decides on an [`Index::analyze`] result (made with the same `opts`).
    pub fn decide_analyzed(&self, a: Analysis, opts: &Options, thresholds: &Thresholds) -> Route {
        let limit = effective_limit(opts.limit);
        let Analysis { kind, q, hits } = a;
        let mut route = match kind {
            QueryKind::Specific => crate::decide(hits, &thresholds.for_sessions(self.len())),
            QueryKind::Vague => self.decide_vague(&q, hits, opts),
            QueryKind::Empty => Route {
                decision: crate::Decision::New,
                confidence: 0.95,
                lead: 0.0,
                candidates: hits,
                reason: "Start a new session: the prompt asks for nothing in particular (greetings, thanks, assent).".to_owned(),
            },
        };
        route.candidates.truncate(limit);
        route
    }

    /// A prompt of generic words only ("add tests", "commit that"): it can only mean "the
    /// thing I was just doing here". Resume the session last used in the caller's project
    /// when it was used recently and clearly more recently than any other there; else new.
    fn decide_vague(&self, q: &[QueryTerm], mut hits: Vec<Hit>, opts: &Options) -> Route {
        let generic: Vec<&str> = q.iter().map(|t| t.surface.as_str()).collect();
        let new = |hits: Vec<Hit>, why: String| Route {
            decision: crate::Decision::New,
            confidence: 0.8,
            lead: 0.0,
            candidates: hits,
            reason: format!(
                "Start a new session: the prompt names nothing specific (only {}){why}.",
                generic.join(", ")
            ),
        };
        let Some(caller) = opts.cwd.as_deref().map(Path::new) else {
            return new(hits, ", and no directory was given".to_owned());
        };
        let mut places: Vec<Option<Place>> = vec![None; self.pairs.len()];
        let mut latest: Vec<(i64, DocId)> = Vec::new();
        for (d, m) in self.slot.iter().enumerate() {
            if !m.live
                || (m.archived && !opts.include_archived)
                || (m.non_interactive && !opts.include_non_interactive)
            {
                continue;
            }
            let place = *places[m.pair as usize].get_or_insert_with(|| {
                let (cwd, root) = self.pairs[m.pair as usize];
                let dir = |id: Option<DirId>| id.map(|i| self.dirs[i as usize].as_path());
                place_of(caller, dir(cwd), dir(root))
            });
            if place != Place::Elsewhere {
                latest.push((m.updated, d as DocId));
            }
        }
        // The project's most recently used sessions, newest first: the candidates shown.
        let shown = latest.len().min(ANALYZED_CANDIDATES);
        if shown > 0 && shown < latest.len() {
            latest.select_nth_unstable_by(shown - 1, |a, b| b.cmp(a));
            latest.truncate(shown);
        }
        latest.sort_unstable_by(|a, b| b.cmp(a));
        let total_weight: f32 = q
            .iter()
            .map(|t| t.weight)
            .sum::<f32>()
            .max(f32::MIN_POSITIVE);
        let explained = |d: DocId| {
            let s = Scored {
                doc: d,
                score: 0.0,
                updated: self.slot[d as usize].updated,
                coverage: 0.0,
                subject: 0.0,
                place: Place::SameProject,
                said: true,
                task_mask: 0,
            };
            self.explain(q, s, total_weight, &[], opts)
        };
        hits.extend(latest.iter().map(|&(_, d)| explained(d)));
        let Some(&(used, d)) = latest.first() else {
            return new(hits, ", and no session ran in this project".to_owned());
        };
        let age = opts.now_unix - used;
        if age > VAGUE_RECENT_SECS {
            return new(
                hits,
                format!(
                    ", and this project's last session was {}",
                    describe_age(age).trim_start_matches("used ")
                ),
            );
        }
        if latest
            .get(1)
            .is_some_and(|&(other, _)| used - other < VAGUE_CLEAR_GAP_SECS)
        {
            return new(
                hits,
                ", and several of this project's sessions were used within the hour".to_owned(),
            );
        }
        let key = self.doc(d).key.to_string();
        Route {
            decision: crate::Decision::Resume { key: key.clone() },
            confidence: VAGUE_CONFIDENCE,
            lead: 0.0,
            candidates: hits,
            reason: format!(
                "Resume {}: the prompt names nothing specific (only {}), and it is this project's session you {} (no other one since).",
                &key[..key.len().min(8)],
                generic.join(", "),
                describe_age(age)
            ),
        }
    }

    pub(crate) fn search_n(&self, query: &str, opts: &Options, n: usize) -> Vec<Hit> {
        let q = self.prepare(query);
        self.search_prepared(&q, opts, n)
    }

    /// [`Index::search`] with a filter and the number of matches: the best `n` sessions among
    /// those `keep(key, same_project)` accepts, and how many it accepted in all (so a caller
    /// can say "20 of 1,234"). The filter runs before ranking, so it never shortens a page.
    pub fn search_filtered(
        &self,
        query: &str,
        opts: &Options,
        skip: usize,
        n: usize,
        keep: &dyn Fn(&str, bool) -> bool,
    ) -> (Vec<Hit>, usize) {
        let q = self.prepare(query);
        self.search_prepared_filtered(
            &q,
            opts,
            skip..skip.saturating_add(n),
            Some(keep),
            true,
            false,
        )
    }

    fn search_prepared(&self, q: &[QueryTerm], opts: &Options, n: usize) -> Vec<Hit> {
        self.search_prepared_filtered(q, opts, 0..n, None, false, false)
            .0
    }

    /// `said_first`: sessions whose title, name or prompts match rank before those matched
    /// only by what they did (files, Codex's answer) — for a person searching; routing ranks
    /// on the score alone. `prune`: only sessions holding one of the query's rarer words are
    /// candidates (see [`Index::score`]) — for routing; a search counts every match.
    fn search_prepared_filtered(
        &self,
        q: &[QueryTerm],
        opts: &Options,
        page: std::ops::Range<usize>,
        keep: Option<&Keep<'_>>,
        said_first: bool,
        prune: bool,
    ) -> (Vec<Hit>, usize) {
        let total_weight: f32 = q.iter().map(|t| t.weight).sum();
        if q.is_empty() || total_weight <= 0.0 {
            return (Vec::new(), 0);
        }
        let (mut scored, context) = self.score(q, total_weight, opts, prune);
        if let Some(keep) = keep {
            scored.retain(|s| keep(&self.doc(s.doc).key, s.place != Place::Elsewhere));
        }
        let total = scored.len();
        // The page `skip..skip + n` (`search`'s offset; routing asks for the first page).
        let skip = page.start;
        let end = page.end.min(scored.len());
        if end <= skip {
            return (Vec::new(), total);
        }
        // Partial selection: only the top `n` of possibly thousands need ordering.
        let cmp = |a: &Scored, b: &Scored| {
            let tier = if said_first {
                b.said.cmp(&a.said)
            } else {
                std::cmp::Ordering::Equal
            };
            tier.then_with(|| self.rank_order(a, b))
        };
        if end < scored.len() {
            scored.select_nth_unstable_by(end - 1, cmp);
            scored.truncate(end);
        }
        scored.sort_unstable_by(cmp);
        scored.drain(..skip);
        let masks: Vec<u64> = scored.iter().map(|s| s.task_mask).collect();
        let mut hits: Vec<Hit> = scored
            .into_iter()
            .map(|s| self.explain(q, s, total_weight, &context, opts))
            .collect();
        if let Some(&top_task) = masks.first() {
            let weight = |mask: u64| -> f32 {
                q.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1u64 << (*i).min(63)) != 0)
                    .map(|(_, t)| t.weight)
                    .sum()
            };
            let whole = weight(top_task);
            for (h, &task) in hits.iter_mut().zip(&masks).skip(1) {
                h.same_subject = if whole > 0.0 {
                    f64::from(weight(top_task & task) / whole)
                } else {
                    0.0
                };
            }
        }
        (hits, total)
    }

    /// Best first; ties go to the more recently used session, then to the smaller key (so the
    /// order is deterministic).
    fn rank_order(&self, a: &Scored, b: &Scored) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then(b.updated.cmp(&a.updated))
            .then_with(|| self.doc(a.doc).key.cmp(&self.doc(b.doc).key))
    }

    fn doc(&self, id: DocId) -> &Doc {
        self.docs[id as usize]
            .as_ref()
            .expect("postings only reference live docs")
    }

    /// Tokenizes the query and resolves every distinct word to the indexed terms it matches.
    fn prepare(&self, query: &str) -> Vec<QueryTerm> {
        self.prepare_n(query, MAX_QUERY_TERMS, false)
    }

    /// [`Index::prepare`] keeping at most `max_terms` distinct words, with each distinctive
    /// word's `related` words when asked (routing: a paraphrase should still find its session;
    /// `search` shows what the typed words match, nothing else).
    fn prepare_n(&self, query: &str, max_terms: usize, related: bool) -> Vec<QueryTerm> {
        let n_docs = self.len() as f32;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let toks = tokens(query);
        // For a case-split word use its joined form when the index knows it ("GitHub" →
        // "github"), else its parts ("parseInvoiceDate" against `parse_invoice_date`). Using
        // both would count one word several times in the coverage.
        let joined_known: HashSet<usize> = toks
            .iter()
            .filter(|t| t.kind == Kind::Joined && self.dict.contains_key(t.term.as_str()))
            .map(|t| t.word)
            .collect();
        let wanted = |t: &Token| match t.kind {
            Kind::Plain => true,
            Kind::Part => !joined_known.contains(&t.word),
            Kind::Joined => joined_known.contains(&t.word),
        };
        for tok in toks.into_iter().filter(wanted) {
            if out.len() == max_terms {
                break;
            }
            if !seen.insert(tok.term.clone()) {
                continue;
            }
            let mut expansions = self.expand(&tok.term);
            // A word's share of the query is the IDF of the commonest term it matches: "config"
            // expanding to a ubiquitous "configuration" is a common word, not a rare one.
            // A word found nowhere gets the maximal IDF: it is what makes the prompt new.
            // Related words do not change it: the prompt said this word, not those.
            let df = self.df_max(&expansions);
            // A word most of the person's sessions hold (`src`, `py`) names nothing in particular
            // to them, whatever it is in general.
            let class = match classify(&tok.term) {
                WordClass::Distinctive
                    if df as f32 > UBIQUITOUS_FRACTION * n_docs && df >= UBIQUITOUS_MIN =>
                {
                    WordClass::Task
                }
                class => class,
            };
            let related = if related
                && class == WordClass::Distinctive
                && df as f32 <= RELATED_TYPED_FRACTION * n_docs
            {
                self.add_related(&tok.surface, &tok.term, &mut expansions)
            } else {
                Vec::new()
            };
            out.push(QueryTerm {
                class,
                surface: tok.surface,
                expansions,
                related,
                weight: coverage_weight(n_docs, df as f32),
            });
        }
        out
    }

    /// The documents holding the commonest of `expansions`.
    fn df_max(&self, expansions: &[(TermId, f32)]) -> usize {
        expansions
            .iter()
            .map(|&(t, _)| self.terms[t as usize].postings.len())
            .max()
            .unwrap_or(0)
    }

    /// Appends to `expansions` the indexed words general English relates to the typed word
    /// `surface` (stemmed: `term`), at [`RELATED_WEIGHT`]: those that are distinctive words and
    /// held by at most [`RELATED_FRACTION`] of sessions, and not already matched. Returns those
    /// words as written.
    fn add_related(
        &self,
        surface: &str,
        term: &str,
        expansions: &mut Vec<(TermId, f32)>,
    ) -> Vec<&'static str> {
        let most = (RELATED_FRACTION * self.len() as f32) as usize;
        let mut added = Vec::new();
        for word in crate::related::related_words(&surface.to_lowercase()) {
            // Indexed as the tokenizer would have indexed it (a stopword has no term).
            let [tok] = &tokens(word)[..] else {
                continue;
            };
            if tok.term == term || classify(&tok.term) != WordClass::Distinctive {
                continue;
            }
            let Some(&id) = self.dict.get(tok.term.as_str()) else {
                continue;
            };
            let df = self.terms[id as usize].postings.len();
            if df == 0 || df > most || expansions.iter().any(|&(t, _)| t == id) {
                continue;
            }
            expansions.push((id, RELATED_WEIGHT));
            added.push(word);
        }
        added
    }

    /// The exact term (weight 1) plus prefix matches (weight [`PREFIX_WEIGHT`]) in both
    /// directions: indexed words the query word is a prefix of ("auth" → "authentication"),
    /// and indexed words that are a prefix of the query word ("authentication" → "auth").
    fn expand(&self, term: &str) -> Vec<(TermId, f32)> {
        let mut out = Vec::new();
        if let Some(&id) = self.dict.get(term) {
            out.push((id, 1.0));
        }
        let chars = term.chars().count();
        if chars >= MIN_PREFIX_QUERY_CHARS {
            // Scan a bounded range, keep the shortest completions (closest to what was typed),
            // more frequent first among equals.
            let mut longer: Vec<(usize, std::cmp::Reverse<usize>, TermId)> = self
                .dict
                .range::<str, _>((Bound::Excluded(term), Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with(term))
                .take(MAX_PREFIX_SCAN)
                .map(|(k, &id)| {
                    let df = self.terms[id as usize].postings.len();
                    (k.len(), std::cmp::Reverse(df), id)
                })
                .collect();
            longer.sort_unstable();
            out.extend(
                longer
                    .into_iter()
                    .take(MAX_PREFIX_EXPANSION)
                    .map(|(_, _, id)| (id, PREFIX_WEIGHT)),
            );
        }
        for (n, (i, _)) in term.char_indices().enumerate() {
            if n >= MIN_PREFIX_INDEX_CHARS
                && let Some(&id) = self.dict.get(&term[..i])
            {
                out.push((id, PREFIX_WEIGHT));
            }
        }
        out
    }

    /// Scores every document matching at least one query word and applies filters and boosts.
    ///
    /// With `prune`, only sessions holding at least one of the query's *admitting* words — its
    /// [`ADMIT_WORDS`] rarest, each in at most [`ADMIT_FRACTION`] of sessions (else its
    /// [`ADMIT_COMMON`] rarest) — are candidates; the other words only add
    /// to their scores (and still count towards every repository's context words). A session
    /// sharing nothing but common words with a prompt never wins a route (its coverage of the
    /// prompt is tiny), and at 100k sessions scoring every holder of "fix" or "service" is what
    /// costs.
    fn score(
        &self,
        q: &[QueryTerm],
        total_weight: f32,
        opts: &Options,
        prune: bool,
    ) -> (Vec<Scored>, Context) {
        let slots = self.docs.len();
        let n_docs = self.len() as f32;
        // Average field lengths; 1 for a field no document has (its tf is always 0 anyway).
        let avg = self.total_len.map(|total| {
            if total > 0 {
                total as f32 / n_docs
            } else {
                1.0
            }
        });

        // Dense accumulators: cheaper than hash maps at 10k docs, and allocated per query so
        // `search` can take `&self` from many threads.
        let mut score = vec![0f32; slots];
        let mut coverage = vec![0f32; slots];
        let mut touched: Vec<DocId> = Vec::new();
        // Per query word: its best match per doc. A word matching a doc both exactly and by
        // prefix counts once (the max), so prefix expansion cannot inflate a score.
        let mut best = vec![0f32; slots];
        let mut best_w = vec![0f32; slots];
        // The same, counting only matches outside the place field, for the subject.
        let mut best_subject_w = vec![0f32; slots];
        let mut subject = vec![0f32; slots];
        let mut word_touched: Vec<DocId> = Vec::new();
        let mut said = vec![false; slots];
        // Per query word: whether it occurs in the session's task (its name, first prompt), per
        // doc; and which distinctive words (bit i = query word i) each doc holds in its task.
        let mut best_task = vec![false; slots];
        let mut task_mask = vec![0u64; slots];
        // Per project: how many of its sessions hold the current word as subject.
        let mut proj_count = vec![0u32; self.projs.len()];
        let mut proj_touched: Vec<ProjId> = Vec::new();
        let mut context: Context = vec![Vec::new(); q.len()];

        // How rare a word is, for admitting: as typed, or when it is found only through its
        // related words, as rare as the commonest of those.
        let df_of = |qt: &QueryTerm| match self.df_max(qt.typed()) {
            0 => self.df_max(qt.through_related()),
            df => df,
        };
        let admit_max = ((ADMIT_FRACTION * n_docs) as usize).max(ADMIT_MIN);
        // The rarest words found in the index admit: at most ADMIT_WORDS of those under
        // `admit_max`, or the rarest ADMIT_COMMON when every word is commoner.
        let mut rare: Vec<(usize, usize)> = q
            .iter()
            .enumerate()
            .map(|(i, qt)| (df_of(qt), i))
            .filter(|&(df, _)| df > 0)
            .collect();
        rare.sort_unstable();
        let under = rare.iter().take_while(|&&(df, _)| df <= admit_max).count();
        rare.truncate(if under > 0 {
            under.min(ADMIT_WORDS)
        } else {
            ADMIT_COMMON
        });
        let prune = prune && !rare.is_empty();
        let mut admitting = vec![!prune; q.len()];
        for &(_, i) in &rare {
            admitting[i] = true;
        }
        // Admitting words first: the others score only the candidates those found.
        let mut order: Vec<usize> = (0..q.len()).collect();
        order.sort_by_key(|&i| !admitting[i]);
        // Sessions outside the candidates already counted for the current word's context.
        let mut counted = if prune {
            vec![0u64; slots.div_ceil(64)]
        } else {
            Vec::new()
        };

        // The candidates in slot order, once the admitting words have found them all.
        let mut candidates: Option<Vec<DocId>> = None;
        for &i in &order {
            let qt = &q[i];
            let admit = admitting[i];
            let distinctive = qt.class == WordClass::Distinctive;
            if !admit && candidates.is_none() {
                let mut c = touched.clone();
                c.sort_unstable();
                candidates = Some(c);
            }
            for &(t, w) in &qt.expansions {
                let term = &self.terms[t as usize];
                let term_idf = idf(n_docs, term.postings.len() as f32);
                // A generic word far commoner than the candidates only needs their postings:
                // look them up instead of reading the whole list.
                let postings = match &candidates {
                    Some(c)
                        if !admit
                            && !distinctive
                            && c.len() * GALLOP_RATIO < term.postings.len() =>
                    {
                        Postings::Among(gallop(&term.postings, c))
                    }
                    _ => Postings::All(term.postings.iter()),
                };
                for p in postings {
                    let d = p.doc as usize;
                    if !admit && coverage[d] == 0.0 {
                        // Not a candidate: only its repository's context count.
                        let pr = self.doc_proj[d];
                        if distinctive
                            && pr != NO_PROJ
                            && p.tf[..Field::Place as usize].iter().any(|&n| n > 0)
                            && counted[d / 64] & (1 << (d % 64)) == 0
                        {
                            counted[d / 64] |= 1 << (d % 64);
                            if proj_count[pr as usize] == 0 {
                                proj_touched.push(pr);
                            }
                            proj_count[pr as usize] += 1;
                        }
                        continue;
                    }
                    let s = term_idf * bm25f_tf(&p.tf.map(u16::from), &self.lens[d], &avg);
                    if best_w[d] == 0.0 {
                        word_touched.push(p.doc);
                    }
                    best[d] = best[d].max(s * w);
                    best_w[d] = best_w[d].max(w);
                    if p.tf[..Field::Place as usize].iter().any(|&n| n > 0) {
                        best_subject_w[d] = best_subject_w[d].max(w);
                    }
                    if p.tf[..Field::Work as usize].iter().any(|&n| n > 0) {
                        said[d] = true;
                    }
                    if p.tf[..Field::Prompts as usize].iter().any(|&n| n > 0) {
                        best_task[d] = true;
                    }
                }
            }
            if !admit {
                counted.fill(0);
            }
            if distinctive {
                for &d in &word_touched {
                    let pr = self.doc_proj[d as usize];
                    if pr != NO_PROJ && best_subject_w[d as usize] > 0.0 {
                        if proj_count[pr as usize] == 0 {
                            proj_touched.push(pr);
                        }
                        proj_count[pr as usize] += 1;
                    }
                }
            }
            let bit = 1u64 << i.min(63);
            for &d in &word_touched {
                let d = d as usize;
                if coverage[d] == 0.0 {
                    touched.push(d as DocId);
                }
                score[d] += best[d];
                coverage[d] += qt.weight * best_w[d];
                if distinctive && best_subject_w[d] > 0.0 {
                    let pr = self.doc_proj[d];
                    let kept = if pr == NO_PROJ {
                        1.0
                    } else {
                        // The others of its repository holding the word (it holds it itself).
                        let others = proj_count[pr as usize].saturating_sub(1);
                        context_discount(others, self.proj_docs[pr as usize])
                    };
                    subject[d] += qt.weight * best_subject_w[d] * kept;
                    if kept >= 0.5 && best_task[d] {
                        task_mask[d] |= bit;
                    }
                }
                best[d] = 0.0;
                best_w[d] = 0.0;
                best_subject_w[d] = 0.0;
                best_task[d] = false;
            }
            if distinctive {
                proj_touched.sort_unstable();
                context[i] = proj_touched
                    .drain(..)
                    .map(|pr| (pr, std::mem::take(&mut proj_count[pr as usize])))
                    .collect();
            }
            word_touched.clear();
        }

        let caller = opts.cwd.as_deref().map(Path::new);
        let mut places: Vec<Option<Place>> = vec![None; self.pairs.len()];
        let mut out = Vec::with_capacity(touched.len());
        // In slot order: the dense arrays are read front to back.
        touched.sort_unstable();
        for d in touched {
            let m = self.slot[d as usize];
            if (m.archived && !opts.include_archived)
                || (m.non_interactive && !opts.include_non_interactive)
            {
                continue;
            }
            let place = match caller {
                None => Place::Elsewhere,
                Some(c) => *places[m.pair as usize].get_or_insert_with(|| {
                    let (cwd, root) = self.pairs[m.pair as usize];
                    let dir = |id: Option<DirId>| id.map(|i| self.dirs[i as usize].as_path());
                    place_of(c, dir(cwd), dir(root))
                }),
            };
            let mut factor = recency_factor(opts.now_unix - m.updated) * place.boost();
            let cov = coverage[d as usize] / total_weight;
            factor *= cov.powi(COORD_EXPONENT);
            if m.archived {
                factor *= PENALTY;
            }
            if m.non_interactive {
                factor *= PENALTY;
            }
            out.push(Scored {
                doc: d,
                score: score[d as usize] * factor,
                updated: m.updated,
                coverage: coverage[d as usize],
                subject: subject[d as usize],
                place,
                said: said[d as usize],
                task_mask: task_mask[d as usize],
            });
        }
        (out, context)
    }

    /// Turns a scored doc into a [`Hit`] with matched words and reasons. Only run for the few
    /// returned candidates.
    fn explain(
        &self,
        q: &[QueryTerm],
        s: Scored,
        total_weight: f32,
        context: &[Vec<(ProjId, u32)>],
        opts: &Options,
    ) -> Hit {
        let doc = self.doc(s.doc);
        let tf_of = |t: TermId| {
            let postings = &self.terms[t as usize].postings;
            let i = postings.binary_search_by_key(&s.doc, |p| p.doc).ok()?;
            Some(postings[i].tf.map(u16::from))
        };
        let mut matched = Vec::new();
        // Each word is reported under the most important field it occurs in.
        let mut per_field: [Vec<String>; NF] = Default::default();
        for qt in q {
            let first_in = |terms: &[(TermId, f32)]| {
                Field::ALL.into_iter().find_map(|f| {
                    let at = terms
                        .iter()
                        .position(|&(t, _)| tf_of(t).is_some_and(|tf| tf[f as usize] > 0))?;
                    Some((f, at))
                })
            };
            // A word found as typed is shown as typed; one found only through a related word
            // shows which ("picture ≈ image").
            let shown = match first_in(qt.typed()) {
                Some((f, _)) => Some((f, qt.surface.clone())),
                None => first_in(qt.through_related())
                    .map(|(f, at)| (f, format!("{} ≈ {}", qt.surface, qt.related[at]))),
            };
            if let Some((f, text)) = shown {
                matched.push(qt.surface.clone());
                per_field[f as usize].push(text);
            }
        }
        let mut reasons: Vec<String> = Field::ALL
            .into_iter()
            .filter(|&f| !per_field[f as usize].is_empty())
            .map(|f| format!("{} {}", f.describe(), per_field[f as usize].join(", ")))
            .collect();
        match s.place {
            Place::SameDir => reasons.push("same directory".to_owned()),
            Place::SameProject => reasons.push("same project".to_owned()),
            Place::Elsewhere => {}
        }
        reasons.push(describe_age(opts.now_unix - doc.updated_unix));
        if doc.archived {
            reasons.push("archived (penalised)".to_owned());
        }
        if doc.non_interactive {
            reasons.push("exec/sub-agent thread (penalised)".to_owned());
        }
        let fields = Field::ALL
            .into_iter()
            .filter(|&f| !per_field[f as usize].is_empty())
            .map(Field::name)
            .collect();
        // The prompt's subject as seen from this session's repository: its distinctive words,
        // each discounted as much as it is context there.
        let pr = self.doc_proj[s.doc as usize];
        let subject_weight: f32 = q
            .iter()
            .enumerate()
            .filter(|(_, t)| t.class == WordClass::Distinctive)
            .map(|(i, t)| {
                let held = context.get(i).and_then(|c| {
                    let at = c.binary_search_by_key(&pr, |&(p, _)| p).ok()?;
                    Some(c[at].1)
                });
                let kept = match held {
                    Some(n) if pr != NO_PROJ => {
                        let holds = t.expansions.iter().any(|&(id, _)| {
                            tf_of(id).is_some_and(|tf| {
                                tf[..Field::Place as usize].iter().any(|&n| n > 0)
                            })
                        });
                        let others = if holds { n.saturating_sub(1) } else { n };
                        context_discount(others, self.proj_docs[pr as usize])
                    }
                    _ => 1.0,
                };
                t.weight * kept
            })
            .sum();
        Hit {
            key: doc.key.to_string(),
            fields,
            score: f64::from(s.score),
            coverage: f64::from((s.coverage / total_weight).clamp(0.0, 1.0)),
            subject_coverage: if subject_weight > 0.0 {
                f64::from((s.subject / subject_weight).clamp(0.0, 1.0))
            } else {
                0.0
            },
            specificity: f64::from(s.subject / coverage_weight(self.len() as f32, 0.0)),
            updated_unix: doc.updated_unix,
            project: doc
                .root_dir
                .or(doc.cwd_dir)
                .map(|d| self.dirs[d as usize].display().to_string()),
            same_project: s.place != Place::Elsewhere,
            same_subject: 1.0,
            matched_terms: matched,
            reasons,
        }
    }
}

fn effective_limit(limit: usize) -> usize {
    if limit == 0 { DEFAULT_LIMIT } else { limit }
}

/// The words indexed for a session's place: the name of its directory, of its git root and
/// of the repository in the origin URL (`git@host:org/billing-api.git` → `billing-api`).
/// Not the whole path: `/home/me/src` is shared by every session, and generic subdirectory
/// names above the leaf (`services`, `packages`) would match the words of unrelated prompts.
fn place_text(cwd: Option<&str>, git_root: Option<&str>, repo: Option<&str>) -> String {
    let mut out = String::new();
    for part in [cwd, git_root].into_iter().flatten() {
        out.push_str(last_segment(part));
        out.push(' ');
    }
    if let Some(repo) = repo {
        out.push_str(last_segment(repo).trim_end_matches(".git"));
    }
    out
}

fn intern_pair(
    pairs: &mut Vec<(Option<DirId>, Option<DirId>)>,
    ids: &mut HashMap<(Option<DirId>, Option<DirId>), u32>,
    pair: (Option<DirId>, Option<DirId>),
) -> u32 {
    *ids.entry(pair).or_insert_with(|| {
        pairs.push(pair);
        (pairs.len() - 1) as u32
    })
}

/// The repository a session belongs to, for learning which words are context there: its git
/// origin reduced to `owner/name` (so `git@host:o/n.git` and `https://host/o/n` agree), else
/// its git root, else its directory.
fn project_key(repo: Option<&str>, meta: &DocMeta) -> Option<String> {
    if let Some(repo) = repo {
        let trimmed = repo.trim().trim_end_matches('/').trim_end_matches(".git");
        let mut parts = trimmed.rsplit(['/', ':']).filter(|p| !p.is_empty());
        if let Some(name) = parts.next() {
            let owner = parts.next().unwrap_or("");
            return Some(format!("{owner}/{name}").to_lowercase());
        }
    }
    meta.git_root.clone().or_else(|| meta.cwd.clone())
}

fn last_segment(s: &str) -> &str {
    s.trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\', ':'])
        .next()
        .unwrap_or("")
}

#[cfg(test)]
impl Index {
    /// Verifies every internal cross-reference; tests call it after each mutation.
    pub(crate) fn check_invariants(&self) {
        // The structure (sorted lists, postings ⇔ document terms, free lists, map sizes) is
        // what `from_bytes` checks too; the counts below are what it recomputes instead.
        assert!(self.consistent(), "structural invariants");
        let mut total = [0u64; NF];
        for (id, doc) in self.docs.iter().enumerate() {
            if let Some(doc) = doc {
                assert_eq!(self.keys.get(&doc.key), Some(&(id as DocId)));
            }
            for (total, &n) in total.iter_mut().zip(&self.lens[id]) {
                *total += u64::from(n);
            }
        }
        assert_eq!(total, self.total_len);
        for (t, term) in self.terms.iter().enumerate() {
            if term.postings.is_empty() {
                continue;
            }
            assert_eq!(self.dict.get(&term.text), Some(&(t as TermId)));
            for f in 0..NF {
                let df = term.postings.iter().filter(|p| p.tf[f] > 0).count();
                assert_eq!(df as u32, term.df[f]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decision;

    const NOW: i64 = 1_000_000_000;
    const HOUR: i64 = 3600;

    /// A session with a name, one prompt and a directory, used `age` seconds before NOW.
    fn add(index: &mut Index, key: &str, name: &str, prompt: &str, cwd: &str, age: i64) {
        add_meta(index, key, name, prompt, cwd, age, |_| {});
    }

    fn add_meta(
        index: &mut Index,
        key: &str,
        name: &str,
        prompt: &str,
        cwd: &str,
        age: i64,
        tweak: impl FnOnce(&mut DocMeta),
    ) {
        let prompts = vec![prompt.to_owned()];
        let fields = DocFields {
            name: (!name.is_empty()).then_some(name),
            first_prompt: Some(prompt),
            prompts: &prompts,
            cwd: Some(cwd),
            repo: None,
            ..DocFields::default()
        };
        let mut meta = DocMeta {
            updated_unix: NOW - age,
            cwd: Some(cwd.to_owned()),
            ..DocMeta::default()
        };
        tweak(&mut meta);
        index.upsert(key, &fields, meta);
        index.check_invariants();
    }

    fn opts(cwd: Option<&str>) -> Options {
        Options {
            cwd: cwd.map(str::to_owned),
            now_unix: NOW,
            ..Options::default()
        }
    }

    fn keys(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.key.as_str()).collect()
    }

    #[test]
    fn a_posting_is_nine_bytes() {
        assert_eq!(size_of::<Posting>(), 4 + NF);
    }

    #[test]
    fn place_text_takes_meaningful_parts() {
        assert_eq!(
            place_text(
                Some("/home/me/src/shop/services/billing"),
                Some("/home/me/src/shop"),
                Some("git@github.com:acme/shop-api.git")
            )
            .trim(),
            "billing shop shop-api"
        );
        assert_eq!(place_text(None, None, Some("https://x/y/z/")), "z");
    }

    #[test]
    fn upsert_replaces_and_remove_forgets() {
        let mut index = Index::new();
        add(
            &mut index,
            "a",
            "",
            "migrate invoices schema",
            "/w/p/billing",
            HOUR,
        );
        add(&mut index, "b", "", "flaky login test", "/w/p/auth", HOUR);
        assert_eq!(index.len(), 2);
        assert_eq!(keys(&index.search("invoices", &opts(None))), ["a"]);

        // Replacing "a" drops its old words and adds the new ones.
        add(
            &mut index,
            "a",
            "",
            "upgrade tokio runtime",
            "/w/p/billing",
            HOUR,
        );
        assert_eq!(index.len(), 2);
        assert!(index.search("invoices", &opts(None)).is_empty());
        assert_eq!(keys(&index.search("tokio", &opts(None))), ["a"]);
        assert!(
            !index.dict.contains_key("invoic"),
            "dead terms leave the dictionary"
        );

        index.remove("a");
        index.check_invariants();
        index.remove("a"); // no-op
        assert_eq!(index.len(), 1);
        assert!(index.search("tokio", &opts(None)).is_empty());

        // Freed slots and term ids are reused.
        let slots = index.docs.len();
        add(&mut index, "c", "", "tokio again", "/w/p/x", HOUR);
        assert_eq!(index.docs.len(), slots);
        assert!(index.contains("c") && !index.contains("a"));
    }

    #[test]
    fn prefixes_match_both_ways_but_below_exact() {
        let mut index = Index::new();
        add(
            &mut index,
            "long",
            "",
            "authentication refactor",
            "/w/p/x",
            HOUR,
        );
        add(&mut index, "short", "", "auth refactor", "/w/p/x", HOUR);
        // "auth" is a prefix of "authentication": both found, the exact match first.
        let hits = index.search("auth", &opts(None));
        assert_eq!(keys(&hits), ["short", "long"]);
        assert!(hits[1].score < hits[0].score);
        assert_eq!(hits[1].matched_terms, ["auth"]);
        // And the other way round: the indexed "auth" is a prefix of the query word.
        let hits = index.search("authentication", &opts(None));
        assert_eq!(keys(&hits), ["long", "short"]);
        // Short query words do not expand ("log" must not find "login").
        add(&mut index, "login", "", "login page", "/w/p/x", HOUR);
        assert!(index.search("log", &opts(None)).is_empty());
    }

    #[test]
    fn same_project_beats_a_somewhat_stronger_text_match_elsewhere() {
        let mut index = Index::new();
        // Elsewhere: named and phrased exactly like the query.
        add(
            &mut index,
            "elsewhere",
            "Fix flaky login test",
            "fix the flaky login test",
            "/w/src/other",
            HOUR * 5,
        );
        // Here: the same words, once, in a longer prompt — a weaker text match.
        add(
            &mut index,
            "here",
            "",
            "the login test is flaky, fix it; also the ci cache and the docs need work",
            "/w/src/app/web",
            HOUR * 5,
        );
        let without = index.search("fix flaky login test", &opts(None));
        assert_eq!(
            keys(&without),
            ["elsewhere", "here"],
            "text alone prefers elsewhere"
        );
        // From the caller's project (an ancestor of the session's cwd), "here" wins.
        let with = index.search("fix flaky login test", &opts(Some("/w/src/app")));
        assert_eq!(keys(&with), ["here", "elsewhere"]);
        assert!(with[0].same_project);
        assert!(
            with[0].reasons.contains(&"same project".to_owned()),
            "{:?}",
            with[0]
        );
    }

    #[test]
    fn a_missing_distinctive_word_is_not_outweighed_by_the_boost() {
        let mut index = Index::new();
        add(
            &mut index,
            "billing",
            "",
            "fix the flaky login test in billing",
            "/w/src/b",
            HOUR,
        );
        add(
            &mut index,
            "search",
            "",
            "fix the flaky login test in search",
            "/w/src/s",
            HOUR,
        );
        // The caller is in the search project but names billing.
        let hits = index.search("flaky login test in billing", &opts(Some("/w/src/s")));
        assert_eq!(keys(&hits)[0], "billing");
    }

    #[test]
    fn routing_finds_a_word_through_a_related_word_and_search_does_not() {
        let mut index = Index::new();
        for i in 0..50 {
            let prompt = format!("rename module{i} in the parser");
            add(
                &mut index,
                &format!("filler{i}"),
                "",
                &prompt,
                "/w/p",
                9 * HOUR,
            );
        }
        let hero = "shrink the hero image in the landing header";
        add(&mut index, "hero", "", hero, "/w/site", 5 * HOUR);
        add(
            &mut index,
            "copy",
            "",
            "reword the landing page copy",
            "/w/site",
            HOUR,
        );
        let o = opts(Some("/w/site"));
        let route = index.route("the landing header picture is too large", &o);
        let top = &route.candidates[0];
        assert_eq!(top.key, "hero", "{route:#?}");
        assert!(
            top.reasons.iter().any(|r| r.contains("picture ≈ image")),
            "{:?}",
            top.reasons
        );
        // The picker's search shows what the typed words match, nothing related.
        assert!(index.search("picture", &o).is_empty());
        assert_eq!(index.route("picture", &o).candidates[0].key, "hero");
    }

    #[test]
    fn recency_breaks_ties() {
        let mut index = Index::new();
        for (key, age) in [
            ("old", 40 * 24 * HOUR),
            ("new", HOUR / 2),
            ("mid", 3 * 24 * HOUR),
        ] {
            add(&mut index, key, "", "upgrade serde", "/w/p/x", age);
        }
        assert_eq!(
            keys(&index.search("serde", &opts(None))),
            ["new", "mid", "old"]
        );
        // Even inside one recency bucket, the more recently used session comes first.
        add(&mut index, "newer", "", "upgrade serde", "/w/p/x", HOUR / 4);
        assert_eq!(
            keys(&index.search("serde", &opts(None)))[..2],
            ["newer", "new"]
        );
    }

    #[test]
    fn archived_and_exec_sessions_are_excluded_unless_asked_then_penalised() {
        let mut index = Index::new();
        add(
            &mut index,
            "live",
            "",
            "tune the search relevance",
            "/w/p/x",
            3 * 24 * HOUR,
        );
        add_meta(
            &mut index,
            "arch",
            "",
            "tune the search relevance",
            "/w/p/x",
            HOUR,
            |m| m.archived = true,
        );
        add_meta(
            &mut index,
            "exec",
            "",
            "tune the search relevance",
            "/w/p/x",
            HOUR,
            |m| m.non_interactive = true,
        );
        let q = "search relevance";
        assert_eq!(keys(&index.search(q, &opts(None))), ["live"]);
        let all = Options {
            include_archived: true,
            include_non_interactive: true,
            ..opts(None)
        };
        let hits = index.search(q, &all);
        assert_eq!(keys(&hits)[0], "live", "penalties outweigh recency");
        let arch = hits.iter().find(|h| h.key == "arch").expect("included");
        assert!(arch.reasons.contains(&"archived (penalised)".to_owned()));
        let exec = hits.iter().find(|h| h.key == "exec").expect("included");
        assert!(
            exec.reasons
                .contains(&"exec/sub-agent thread (penalised)".to_owned())
        );
    }

    #[test]
    fn boosts_never_create_relevance() {
        let mut index = Index::new();
        add(
            &mut index,
            "here",
            "Postgres",
            "migrate postgres",
            "/w/src/app",
            60,
        );
        // Same directory, used a minute ago, but no shared word: not a candidate at all.
        let route = index.route("write a haiku about autumn", &opts(Some("/w/src/app")));
        assert_eq!(route.decision, Decision::New);
        assert!(route.candidates.is_empty());
        assert_eq!(route.confidence, 1.0);
    }

    #[test]
    fn routes_follow_ups_and_starts_new_for_unrelated() {
        let mut index = Index::new();
        add(
            &mut index,
            "inv",
            "Invoice schema migration",
            "migrate the postgres schema for invoices in billing",
            "/w/src/billing",
            2 * HOUR,
        );
        add(
            &mut index,
            "ci",
            "",
            "speed up the github actions cache",
            "/w/src/infra",
            HOUR,
        );
        add(
            &mut index,
            "ios",
            "",
            "ios app crashes on logout",
            "/w/src/mobile",
            HOUR,
        );
        let r = index.route("the invoices migration failed on staging", &opts(None));
        assert_eq!(
            r.decision,
            Decision::Resume { key: "inv".into() },
            "{}",
            r.reason
        );
        assert!(r.confidence > 0.5);
        let h = &r.candidates[0];
        assert_eq!(h.matched_terms, ["invoices", "migration"]);
        assert!(h.reasons[0].starts_with("title matches"), "{:?}", h.reasons);
        assert!(h.reasons.contains(&"used 2 hours ago".to_owned()));

        let r = index.route("explain rust lifetimes with an example", &opts(None));
        assert_eq!(r.decision, Decision::New, "{}", r.reason);
    }

    #[test]
    fn filtered_search_counts_every_match_and_names_fields() {
        let mut index = Index::new();
        for k in 0..30u32 {
            let prompts = vec![format!("tune the parser number {k}")];
            let fields = DocFields {
                name: (k == 0).then_some("parser speedups"),
                first_prompt: Some(&prompts[0]),
                prompts: &prompts,
                cwd: Some("/w/src/p"),
                repo: None,
                ..DocFields::default()
            };
            let meta = DocMeta {
                updated_unix: i64::from(k) * 1000,
                ..DocMeta::default()
            };
            index.upsert(&format!("k{k}"), &fields, meta);
        }
        // The newest session matches only in what Codex answered: it ranks last.
        let prompts = vec!["something else".to_owned()];
        let work = DocFields {
            first_prompt: Some(&prompts[0]),
            prompts: &prompts,
            answer: Some("the parser is faster now, parser parser"),
            ..DocFields::default()
        };
        let meta = DocMeta {
            updated_unix: 99_000,
            ..DocMeta::default()
        };
        index.upsert("w", &work, meta);
        let o = Options {
            now_unix: 100_000,
            ..Options::default()
        };
        let (hits, total) = index.search_filtered("parser", &o, 0, 3, &|_, _| true);
        assert_eq!((hits.len(), total), (3, 31));
        assert!(hits.iter().all(|h| h.key != "w"), "prompt hits first");
        let (hits, _) = index.search_filtered("parser", &o, 0, 100, &|_, _| true);
        assert_eq!(hits.last().map(|h| h.key.as_str()), Some("w"));
        let keys = |h: &[Hit]| h.iter().map(|h| h.key.clone()).collect::<Vec<_>>();
        let (page, total) = index.search_filtered("parser", &o, 3, 4, &|_, _| true);
        assert_eq!(total, 31);
        assert_eq!(
            keys(&page),
            keys(&hits[3..7]),
            "a page is a slice of the ranking"
        );
        let (past, _) = index.search_filtered("parser", &o, 31, 4, &|_, _| true);
        assert!(past.is_empty());
        assert_eq!(hits.last().unwrap().fields, ["work"]);
        let (hits, total) = index.search_filtered("parser", &o, 0, 10, &|k, _| k.ends_with('0'));
        assert_eq!(total, 3, "k0, k10, k20");
        assert!(hits.iter().all(|h| h.key.ends_with('0')));
        let k0 = hits.iter().find(|h| h.key == "k0").unwrap();
        // Each word under the most important field it occurs in.
        assert_eq!(k0.fields, ["title"]);
        let k10 = hits.iter().find(|h| h.key == "k10").unwrap();
        assert_eq!(k10.fields, ["first_prompt"]);
        assert_eq!(index.search_filtered("zebra", &o, 0, 5, &|_, _| true).1, 0);
    }

    #[test]
    fn limit_is_respected_and_zero_means_default() {
        let mut index = Index::new();
        for i in 0..8 {
            add(
                &mut index,
                &format!("k{i}"),
                "",
                "refactor the parser",
                "/w/p/x",
                HOUR * i,
            );
        }
        let o = |limit| Options {
            limit,
            ..opts(None)
        };
        assert_eq!(index.search("parser", &o(3)).len(), 3);
        assert_eq!(index.search("parser", &o(0)).len(), crate::DEFAULT_LIMIT);
        // Routing still sees the runner-up with limit 1.
        assert_eq!(index.route("parser", &o(1)).candidates.len(), 1);
    }

    #[test]
    fn non_english_queries_work_and_never_panic() {
        let mut index = Index::new();
        add(
            &mut index,
            "zh",
            "",
            "修复登录测试的随机失败",
            "/w/p/x",
            HOUR,
        );
        add(
            &mut index,
            "ru",
            "",
            "исправить ошибку авторизации",
            "/w/p/x",
            HOUR,
        );
        assert_eq!(keys(&index.search("登录测试", &opts(None))), ["zh"]);
        assert_eq!(
            keys(&index.search("ошибку авторизации", &opts(None))),
            ["ru"]
        );
        for q in ["", "   ", "🔥🔥", "\u{0}\u{200d}", "the and of", "é"] {
            let r = index.route(q, &opts(None));
            assert_eq!(r.decision, Decision::New);
        }
    }

    #[test]
    fn brand_names_match_any_casing() {
        let mut index = Index::new();
        add(
            &mut index,
            "gh",
            "",
            "Handle GitHub webhooks via OAuth",
            "/w/p/x",
            HOUR,
        );
        let hits = index.search("github oauth", &opts(None));
        assert_eq!(keys(&hits), ["gh"]);
        assert!((hits[0].coverage - 1.0).abs() < 1e-6, "{:?}", hits[0]);
        // And an identifier written differently: snake_case query, camelCase session.
        add(
            &mut index,
            "fn",
            "",
            "parseInvoiceDate panics",
            "/w/p/x",
            HOUR,
        );
        assert_eq!(
            keys(&index.search("parse_invoice_date", &opts(None)))[0],
            "fn"
        );
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "auth",
        "authentication",
        "login",
        "flaky",
        "test",
        "billing",
        "invoice",
        "invoices",
        "migrate",
        "postgres",
        "GitHub",
        "parseInvoice",
        "登录",
        "café",
        "tokio",
        "deploy",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS), 0..6).prop_map(|w| w.join(" "))
    }

    #[derive(Clone, Debug)]
    enum Op {
        Upsert(u8, String, String, u8),
        Remove(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u8..6, text(), text(), 0u8..3).prop_map(|(k, n, p, d)| Op::Upsert(k, n, p, d)),
            1 => (0u8..6).prop_map(Op::Remove),
        ]
    }

    fn apply(index: &mut Index, key: u8, name: &str, prompt: &str, dir: u8) {
        let prompts = vec![prompt.to_owned()];
        let cwd = format!("/w/src/p{dir}");
        let fields = DocFields {
            name: Some(name),
            first_prompt: Some(prompt),
            prompts: &prompts,
            cwd: Some(&cwd),
            repo: None,
            ..DocFields::default()
        };
        let meta = DocMeta {
            updated_unix: i64::from(key) * 1000,
            cwd: Some(cwd.clone()),
            ..DocMeta::default()
        };
        index.upsert(&format!("k{key}"), &fields, meta);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any sequence of upserts and removes leaves the index consistent and ranking exactly
        /// like an index built from scratch from the final state.
        #[test]
        fn incremental_equals_rebuild(ops in proptest::collection::vec(op(), 1..30), q in text()) {
            let mut index = Index::new();
            let mut state = std::collections::BTreeMap::new();
            for op in ops {
                match op {
                    Op::Upsert(k, n, p, d) => {
                        apply(&mut index, k, &n, &p, d);
                        state.insert(k, (n, p, d));
                    }
                    Op::Remove(k) => {
                        index.remove(&format!("k{k}"));
                        state.remove(&k);
                    }
                }
                index.check_invariants();
            }
            let mut fresh = Index::new();
            for (k, (n, p, d)) in &state {
                apply(&mut fresh, *k, n, p, *d);
            }
            prop_assert_eq!(index.len(), fresh.len());
            let o = Options { cwd: Some("/w/src/p1".into()), now_unix: 10_000, limit: 10, ..Options::default() };
            let a = index.search(&q, &o);
            let b = fresh.search(&q, &o);
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                prop_assert_eq!(&x.key, &y.key);
                prop_assert!((x.score - y.score).abs() < 1e-4 * y.score.max(1.0));
                prop_assert_eq!(&x.matched_terms, &y.matched_terms);
            }
        }

        /// A bulk insert (repeated keys included: their first version's words are freed and
        /// their ids reused mid-batch) ranks exactly like the same upserts one by one.
        #[test]
        fn upsert_many_equals_one_by_one(
            docs in proptest::collection::vec((0u8..6, text(), text(), 0u8..3), 1..30),
            q in text(),
        ) {
            let prepared = |n: &str, p: &str, k: u8, d: u8| {
                let prompts = vec![p.to_owned()];
                let cwd = format!("/w/src/p{d}");
                let fields = DocFields { name: Some(n), first_prompt: Some(p), prompts: &prompts, cwd: Some(&cwd), repo: None, ..DocFields::default() };
                let meta = DocMeta { updated_unix: i64::from(k) * 1000, cwd: Some(cwd.clone()), ..DocMeta::default() };
                (format!("k{k}"), Prepared::new(&fields, &meta), meta)
            };
            let mut bulk = Index::new();
            bulk.upsert_many(docs.iter().map(|(k, n, p, d)| prepared(n, p, *k, *d)));
            bulk.check_invariants();
            let mut single = Index::new();
            for (k, n, p, d) in &docs {
                apply(&mut single, *k, n, p, *d);
            }
            let o = Options { cwd: Some("/w/src/p1".into()), now_unix: 10_000, limit: 10, ..Options::default() };
            let (a, b) = (bulk.search(&q, &o), single.search(&q, &o));
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                prop_assert_eq!(&x.key, &y.key);
                prop_assert!((x.score - y.score).abs() < 1e-4 * y.score.max(1.0));
            }
        }

        /// A stored index reloads into the same index (same answers, same fingerprints), and
        /// damaged bytes are refused or yield an index that still holds every invariant.
        #[test]
        fn stored_index_round_trips_and_damage_is_refused(
            ops in proptest::collection::vec(op(), 1..30),
            q in text(),
            cut in any::<prop::sample::Index>(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
        ) {
            let mut index = Index::new();
            for op in ops {
                match op {
                    Op::Upsert(k, n, p, d) => apply(&mut index, k, &n, &p, d),
                    Op::Remove(k) => index.remove(&format!("k{k}")),
                }
            }
            let bytes = index.to_bytes();
            let back = Index::from_bytes(&bytes).expect("own bytes load");
            back.check_invariants();
            let o = Options { cwd: Some("/w/src/p1".into()), now_unix: 10_000, limit: 10, ..Options::default() };
            let (a, b) = (index.search(&q, &o), back.search(&q, &o));
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                prop_assert_eq!(&x.key, &y.key);
                prop_assert_eq!(x.score.to_bits(), y.score.to_bits());
            }
            for k in index.keys() {
                prop_assert_eq!(index.fingerprint(k), back.fingerprint(k));
            }

            prop_assert!(Index::from_bytes(&bytes[..cut.index(bytes.len())]).is_none());
            let mut damaged = bytes.clone();
            for (at, x) in &flips {
                let i = at.index(damaged.len());
                damaged[i] ^= x;
            }
            if let Some(mut d) = Index::from_bytes(&damaged) {
                d.check_invariants();
                let _ = d.route(&q, &o);
                apply(&mut d, 1, "after damage", "still works", 1);
                d.remove("k2");
                d.check_invariants();
            }
        }

        #[test]
        fn arbitrary_text_never_panics(t in "\\PC{0,200}") {
            let mut index = Index::new();
            let prompts = vec![t.clone()];
            let fields = DocFields { name: Some(&t), first_prompt: Some(&t), prompts: &prompts, cwd: Some(&t), repo: Some(&t), ..DocFields::default() };
            index.upsert("k", &fields, DocMeta { cwd: Some(t.clone()), git_root: Some(t.clone()), ..DocMeta::default() });
            index.check_invariants();
            let _ = index.route(&t, &Options { cwd: Some(t.clone()), ..Options::default() });
        }
    }
}
