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

use crate::score::{
    COORD_EXPONENT, Field, MAX_PREFIX_EXPANSION, MAX_PREFIX_SCAN, MIN_PREFIX_INDEX_CHARS,
    MIN_PREFIX_QUERY_CHARS, NF, PENALTY, PREFIX_WEIGHT, Place, bm25f_tf, coverage_weight,
    describe_age, idf, place_of, recency_factor,
};
use crate::tokenize::{Kind, Token, for_each_token, tokens};
use crate::{DEFAULT_LIMIT, DocFields, DocMeta, Hit, Options, Route, Thresholds};

type TermId = u32;
type DocId = u32;
type DirId = u32;

/// At most this many tokens are indexed per field of one session: a prompt with a pasted 5 MB
/// log must not make an update slow. The first tokens are the ones a person would refer to.
const MAX_FIELD_TOKENS: usize = 20_000;

/// At most this many distinct query words are used (a pasted paragraph is still a query).
const MAX_QUERY_TERMS: usize = 64;

#[derive(Clone, Copy, Debug)]
struct Posting {
    doc: DocId,
    tf: [u16; NF],
}

#[derive(Debug, Default)]
struct Term {
    text: Box<str>,
    /// Sorted by `doc`.
    postings: Vec<Posting>,
    /// Number of documents with the term in each field.
    df: [u32; NF],
}

#[derive(Debug)]
struct Doc {
    key: Box<str>,
    meta: DocMeta,
    /// Sorted by term id.
    terms: Vec<(TermId, [u16; NF])>,
    cwd_dir: Option<DirId>,
    root_dir: Option<DirId>,
}

/// In-memory inverted index over sessions. See the crate docs.
#[derive(Debug, Default)]
pub struct Index {
    dict: BTreeMap<Box<str>, TermId>,
    terms: Vec<Term>,
    free_terms: Vec<TermId>,
    keys: HashMap<Box<str>, DocId>,
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
}

/// One distinct query word with the indexed terms it matches.
#[derive(Debug)]
struct QueryTerm {
    surface: String,
    /// `(term, weight)`: the exact term at 1.0, prefix matches at [`PREFIX_WEIGHT`].
    expansions: Vec<(TermId, f32)>,
    /// IDF of what the word matches; its share of the query in the coverage.
    weight: f32,
}

/// A scored, not yet explained, candidate.
#[derive(Clone, Copy, Debug)]
struct Scored {
    doc: DocId,
    score: f32,
    coverage: f32,
    place: Place,
}

impl Index {
    pub fn new() -> Self {
        Self::default()
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
        // Count first, intern after: one dictionary lookup per distinct word, not per token.
        let mut counts: HashMap<String, [u16; NF]> = HashMap::new();
        let mut lens = [0u32; NF];
        let mut add = |field: Field, text: &str| {
            let f = field as usize;
            for_each_token(text, |term, _, _, _| {
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
        add(
            Field::Place,
            &place_text(fields.cwd, meta.git_root.as_deref(), fields.repo),
        );

        let id = match self.keys.get(key) {
            Some(&id) => {
                self.unlink(id);
                id
            }
            None => {
                let id = self.free_docs.pop().unwrap_or_else(|| {
                    self.docs.push(None);
                    self.lens.push([0; NF]);
                    (self.docs.len() - 1) as DocId
                });
                self.keys.insert(key.into(), id);
                id
            }
        };

        let mut terms: Vec<(TermId, [u16; NF])> = counts
            .into_iter()
            .map(|(t, tf)| (self.intern(&t), tf))
            .collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        for &(t, tf) in &terms {
            let term = &mut self.terms[t as usize];
            let pos = term
                .postings
                .binary_search_by_key(&id, |p| p.doc)
                .unwrap_or_else(|e| e);
            term.postings.insert(pos, Posting { doc: id, tf });
            for f in 0..NF {
                term.df[f] += u32::from(tf[f] > 0);
            }
        }
        for f in 0..NF {
            self.total_len[f] += u64::from(lens[f]);
        }
        self.lens[id as usize] = lens;
        let cwd_dir = meta.cwd.as_deref().map(|d| self.intern_dir(d));
        let root_dir = meta.git_root.as_deref().map(|d| self.intern_dir(d));
        self.docs[id as usize] = Some(Doc {
            key: key.into(),
            meta,
            terms,
            cwd_dir,
            root_dir,
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
        for (t, tf) in doc.terms {
            let term = &mut self.terms[t as usize];
            if let Ok(pos) = term.postings.binary_search_by_key(&id, |p| p.doc) {
                term.postings.remove(pos);
            }
            for f in 0..NF {
                term.df[f] -= u32::from(tf[f] > 0);
            }
            if term.postings.is_empty() {
                // Forget the word entirely so prefix scans do not wade through dead entries.
                let text = std::mem::take(&mut term.text);
                self.dict.remove(&text);
                self.free_terms.push(t);
            }
        }
        let lens = std::mem::take(&mut self.lens[id as usize]);
        for f in 0..NF {
            self.total_len[f] -= u64::from(lens[f]);
        }
    }

    fn intern(&mut self, text: &str) -> TermId {
        if let Some(&id) = self.dict.get(text) {
            return id;
        }
        let boxed: Box<str> = text.into();
        let id = match self.free_terms.pop() {
            Some(id) => {
                self.terms[id as usize].text = boxed.clone();
                id
            }
            None => {
                self.terms.push(Term {
                    text: boxed.clone(),
                    ..Term::default()
                });
                (self.terms.len() - 1) as TermId
            }
        };
        self.dict.insert(boxed, id);
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
        let limit = effective_limit(opts.limit);
        // The decision needs the runner-up even when the caller wants a single candidate.
        let hits = self.search_n(query, opts, limit.max(2));
        let mut route = crate::decide(hits, thresholds);
        route.candidates.truncate(limit);
        route
    }

    pub(crate) fn search_n(&self, query: &str, opts: &Options, n: usize) -> Vec<Hit> {
        let q = self.prepare(query);
        let total_weight: f32 = q.iter().map(|t| t.weight).sum();
        if q.is_empty() || total_weight <= 0.0 {
            return Vec::new();
        }
        let mut scored = self.score(&q, total_weight, opts);
        let n = n.min(scored.len());
        if n == 0 {
            return Vec::new();
        }
        // Partial selection: only the top `n` of possibly thousands need ordering.
        let cmp = |a: &Scored, b: &Scored| self.rank_order(a, b);
        if n < scored.len() {
            scored.select_nth_unstable_by(n - 1, cmp);
            scored.truncate(n);
        }
        scored.sort_unstable_by(cmp);
        scored
            .into_iter()
            .map(|s| self.explain(&q, s, total_weight, opts))
            .collect()
    }

    /// Best first; ties go to the more recently used session, then to the smaller key (so the
    /// order is deterministic).
    fn rank_order(&self, a: &Scored, b: &Scored) -> std::cmp::Ordering {
        let (da, db) = (self.doc(a.doc), self.doc(b.doc));
        b.score
            .total_cmp(&a.score)
            .then(db.meta.updated_unix.cmp(&da.meta.updated_unix))
            .then(da.key.cmp(&db.key))
    }

    fn doc(&self, id: DocId) -> &Doc {
        self.docs[id as usize]
            .as_ref()
            .expect("postings only reference live docs")
    }

    /// Tokenizes the query and resolves every distinct word to the indexed terms it matches.
    fn prepare(&self, query: &str) -> Vec<QueryTerm> {
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
            if out.len() == MAX_QUERY_TERMS {
                break;
            }
            if !seen.insert(tok.term.clone()) {
                continue;
            }
            let expansions = self.expand(&tok.term);
            // A word's share of the query is the IDF of the commonest term it matches: "config"
            // expanding to a ubiquitous "configuration" is a common word, not a rare one.
            // A word found nowhere gets the maximal IDF: it is what makes the prompt new.
            let df = expansions
                .iter()
                .map(|&(t, _)| self.terms[t as usize].postings.len())
                .max()
                .unwrap_or(0);
            out.push(QueryTerm {
                surface: tok.surface,
                expansions,
                weight: coverage_weight(n_docs, df as f32),
            });
        }
        out
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
                    .map(|(_, _, id)| (id, crate::score::TUNE.prefix)),
            );
        }
        for (n, (i, _)) in term.char_indices().enumerate() {
            if n >= MIN_PREFIX_INDEX_CHARS
                && let Some(&id) = self.dict.get(&term[..i])
            {
                out.push((id, crate::score::TUNE.prefix));
            }
        }
        out
    }

    /// Scores every document matching at least one query word and applies filters and boosts.
    fn score(&self, q: &[QueryTerm], total_weight: f32, opts: &Options) -> Vec<Scored> {
        let slots = self.docs.len();
        let n_docs = self.len() as f32;
        let mut avg = [1.0f32; NF];
        for f in 0..NF {
            if self.total_len[f] > 0 {
                avg[f] = self.total_len[f] as f32 / n_docs;
            }
        }

        // Dense accumulators: cheaper than hash maps at 10k docs, and allocated per query so
        // `search` can take `&self` from many threads.
        let mut score = vec![0f32; slots];
        let mut coverage = vec![0f32; slots];
        let mut touched: Vec<DocId> = Vec::new();
        // Per query word: its best match per doc. A word matching a doc both exactly and by
        // prefix counts once (the max), so prefix expansion cannot inflate a score.
        let mut best = vec![0f32; slots];
        let mut best_w = vec![0f32; slots];
        let mut word_touched: Vec<DocId> = Vec::new();

        for qt in q {
            for &(t, w) in &qt.expansions {
                let term = &self.terms[t as usize];
                let term_idf = idf(n_docs, term.postings.len() as f32);
                for p in &term.postings {
                    let d = p.doc as usize;
                    let s = term_idf * bm25f_tf(&p.tf, &self.lens[d], &avg);
                    if best_w[d] == 0.0 {
                        word_touched.push(p.doc);
                    }
                    best[d] = best[d].max(s * w);
                    best_w[d] = best_w[d].max(w);
                }
            }
            for &d in &word_touched {
                let d = d as usize;
                if coverage[d] == 0.0 {
                    touched.push(d as DocId);
                }
                score[d] += best[d];
                coverage[d] += qt.weight * best_w[d];
                best[d] = 0.0;
                best_w[d] = 0.0;
            }
            word_touched.clear();
        }

        let caller = opts.cwd.as_deref().map(Path::new);
        let mut places: HashMap<(Option<DirId>, Option<DirId>), Place> = HashMap::new();
        let mut out = Vec::with_capacity(touched.len());
        for d in touched {
            let doc = self.doc(d);
            let m = &doc.meta;
            if (m.archived && !opts.include_archived)
                || (m.non_interactive && !opts.include_non_interactive)
            {
                continue;
            }
            let place = match caller {
                None => Place::Elsewhere,
                Some(c) => *places
                    .entry((doc.cwd_dir, doc.root_dir))
                    .or_insert_with(|| {
                        let dir = |id: Option<DirId>| id.map(|i| self.dirs[i as usize].as_path());
                        place_of(c, dir(doc.cwd_dir), dir(doc.root_dir))
                    }),
            };
            let mut factor = recency_factor(opts.now_unix - m.updated_unix) * place.boost();
            let cov = coverage[d as usize] / total_weight;
            factor *= cov.powf(crate::score::TUNE.coord);
            if m.archived {
                factor *= PENALTY;
            }
            if m.non_interactive {
                factor *= PENALTY;
            }
            out.push(Scored {
                doc: d,
                score: score[d as usize] * factor,
                coverage: coverage[d as usize],
                place,
            });
        }
        out
    }

    /// Turns a scored doc into a [`Hit`] with matched words and reasons. Only run for the few
    /// returned candidates.
    fn explain(&self, q: &[QueryTerm], s: Scored, total_weight: f32, opts: &Options) -> Hit {
        let doc = self.doc(s.doc);
        let tf_of = |t: TermId| {
            doc.terms
                .binary_search_by_key(&t, |&(id, _)| id)
                .ok()
                .map(|i| doc.terms[i].1)
        };
        let mut matched = Vec::new();
        // Each word is reported under the most important field it occurs in.
        let mut per_field: [Vec<&str>; NF] = Default::default();
        for qt in q {
            let field = Field::ALL.into_iter().find(|&f| {
                qt.expansions
                    .iter()
                    .any(|&(t, _)| tf_of(t).is_some_and(|tf| tf[f as usize] > 0))
            });
            if let Some(f) = field {
                matched.push(qt.surface.clone());
                per_field[f as usize].push(&qt.surface);
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
        reasons.push(describe_age(opts.now_unix - doc.meta.updated_unix));
        if doc.meta.archived {
            reasons.push("archived (penalised)".to_owned());
        }
        if doc.meta.non_interactive {
            reasons.push("exec/sub-agent thread (penalised)".to_owned());
        }
        Hit {
            key: doc.key.to_string(),
            score: f64::from(s.score),
            coverage: f64::from((s.coverage / total_weight).clamp(0.0, 1.0)),
            same_project: s.place != Place::Elsewhere,
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

fn last_segment(s: &str) -> &str {
    s.trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\', ':'])
        .next()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
