//! Words that say *what kind of thing* to do to code but not *which* thing: "add tests", "fix
//! the bug", "clean up the code", "review my changes". Every session of every project contains
//! them, so they may rank sessions but never justify resuming one on their own: a resume needs
//! a distinctive word of the prompt found in the session (see [`crate::decide`]).
//!
//! Written from how people prompt coding agents in general, not from any evaluation set, and
//! kept to words that are generic in *every* codebase (`config`, `readme`, `ci`, `docker` name
//! things and are not here). [`PLEASANTRIES`] carry no request at all ("thanks!", "ok cool").

use std::collections::HashSet;
use std::sync::OnceLock;

/// Generic task words: verbs of working on code and nouns every project has.
const TASK_WORDS: &[&str] = &[
    // verbs
    "add",
    "adjust",
    "allow",
    "apply",
    "break",
    "broke",
    "broken",
    "build",
    "bump",
    "call",
    "change",
    "check",
    "clean",
    "cleanup",
    "commit",
    "complete",
    "continue",
    "convert",
    "create",
    "debug",
    "delete",
    "deploy",
    "describe",
    "do",
    "document",
    "drop",
    "edit",
    "explain",
    "extract",
    "fail",
    "failing",
    "find",
    "finish",
    "fix",
    "format",
    "get",
    "go",
    "handle",
    "help",
    "implement",
    "improve",
    "install",
    "investigate",
    "keep",
    "lint",
    "look",
    "make",
    "merge",
    "move",
    "optimize",
    "pass",
    "polish",
    "push",
    "redo",
    "refactor",
    "release",
    "remove",
    "rename",
    "repair",
    "replace",
    "rerun",
    "restore",
    "retry",
    "revert",
    "review",
    "rewrite",
    "run",
    "see",
    "set",
    "show",
    "simplify",
    "speed",
    "split",
    "start",
    "stop",
    "support",
    "switch",
    "tell",
    "test",
    "tidy",
    "try",
    "tweak",
    "undo",
    "update",
    "upgrade",
    "use",
    "verify",
    "want",
    "work",
    "write",
    // nouns
    "approach",
    "behavior",
    "behaviour",
    "bit",
    "branch",
    "bug",
    "change",
    "class",
    "code",
    "codebase",
    "data",
    "diff",
    "doc",
    "docs",
    "documentation",
    "error",
    "everything",
    "feature",
    "file",
    "function",
    "idea",
    "implementation",
    "input",
    "issue",
    "logic",
    "method",
    "module",
    "output",
    "part",
    "patch",
    "performance",
    "perf",
    "pr",
    "problem",
    "project",
    "question",
    "repo",
    "result",
    "solution",
    "something",
    "spec",
    "step",
    "stuff",
    "suggestion",
    "task",
    "test",
    "thing",
    "todo",
    "version",
    "warning",
    "way",
    // qualifiers that only point back at "whatever we were doing"
    "again",
    "also",
    "another",
    "better",
    "current",
    "earlier",
    "fast",
    "faster",
    "first",
    "last",
    "latest",
    "less",
    "little",
    "more",
    "new",
    "next",
    "old",
    "other",
    "previous",
    "quick",
    "quickly",
    "recent",
    "same",
    "second",
    "slow",
    "slower",
    "still",
    "whole",
    "wrong",
];

/// Words that carry no request: greetings, thanks, assent, filler (a few languages).
const PLEASANTRIES: &[&str] = &[
    "actually", "alright", "awesome", "bitte", "bye", "cheers", "ciao", "cool", "danke", "fine",
    "genial", "good", "gracias", "grazie", "great", "hallo", "hello", "hey", "hi", "hmm", "hola",
    "just", "lgtm", "lol", "maybe", "merci", "nice", "obrigado", "ok", "okay", "passt", "perfect",
    "perfekt", "please", "pls", "plz", "really", "salut", "sorry", "super", "sure", "thank",
    "thanks", "thx", "ty", "wait", "wow", "yeah", "yep", "yes", "yo",
];

/// Words that frame a prompt as a continuation without saying of what ("picking this up
/// again:", "quick follow-up on", "regarding"), and the function words of the languages people
/// mix into their prompts (German, French, Spanish, Italian, Portuguese, Dutch): none of them
/// names a subject, so a prompt is not less about a session for containing them. Words that
/// are also names in code (`du`, `mit`, `es`, `con`) are left out.
const FILLER: &[&str] = &[
    // continuation wrappers
    "follow",
    "followup",
    "pick",
    "picking",
    "regarding",
    "revisit",
    "circling",
    // German
    "aber",
    "alle",
    "als",
    "am",
    "an",
    "auch",
    "auf",
    "aus",
    "bei",
    "bin",
    "bis",
    "da",
    "dann",
    "das",
    "dass",
    "dem",
    "den",
    "der",
    "des",
    "dich",
    "die",
    "dir",
    "doch",
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "für",
    "gibt",
    "hab",
    "habe",
    "haben",
    "hat",
    "ich",
    "ihr",
    "im",
    "immer",
    "ist",
    "jetzt",
    "kann",
    "kannst",
    "kein",
    "keine",
    "mal",
    "mein",
    "meine",
    "mich",
    "mir",
    "nach",
    "nicht",
    "noch",
    "nur",
    "oder",
    "schon",
    "sich",
    "sie",
    "sind",
    "so",
    "um",
    "und",
    "uns",
    "vom",
    "von",
    "vor",
    "war",
    "was",
    "weil",
    "wenn",
    "wie",
    "wieder",
    "wir",
    "wird",
    "zu",
    "zum",
    "zur",
    "über",
    // French
    "au",
    "aux",
    "avec",
    "ce",
    "cette",
    "ces",
    "dans",
    "elle",
    "encore",
    "est",
    "et",
    "il",
    "je",
    "la",
    "le",
    "les",
    "leur",
    "ma",
    "mais",
    "mes",
    "même",
    "moi",
    "mon",
    "ne",
    "nous",
    "ou",
    "où",
    "par",
    "pas",
    "peut",
    "peux",
    "plus",
    "pour",
    "quand",
    "que",
    "qui",
    "sa",
    "ses",
    "sont",
    "sur",
    "toujours",
    "tu",
    "un",
    "une",
    "vous",
    "ça",
    // Spanish, Italian, Portuguese
    "al",
    "como",
    "del",
    "el",
    "ella",
    "está",
    "esta",
    "este",
    "los",
    "las",
    "mi",
    "mis",
    "mismo",
    "misma",
    "muy",
    "otra",
    "otro",
    "para",
    "pero",
    "por",
    "porque",
    "qué",
    "sí",
    "también",
    "todavía",
    "todo",
    "tu",
    "una",
    "uno",
    "vez",
    "y",
    "ancora",
    "che",
    "di",
    "gli",
    "il",
    "non",
    "più",
    "sono",
    "anche",
    "ainda",
    "não",
    "o",
    "os",
    "um",
    "uma",
    // Dutch
    "het",
    "een",
    "niet",
    "nog",
    "ook",
    "van",
    "voor",
    "wat",
    "zijn",
];

/// Index terms of `words` as the tokenizer makes them: English stems for ASCII words, other
/// words as they are (lowercased).
fn stems(words: &[&str]) -> HashSet<String> {
    words
        .iter()
        .map(|w| {
            if w.is_ascii() {
                crate::tokenize::stem_word(w)
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

fn task_stems() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| stems(TASK_WORDS))
}

fn pleasantry_stems() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = stems(PLEASANTRIES);
        set.extend(stems(FILLER));
        set
    })
}

/// What an index term (already tokenized and stemmed) says about the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WordClass {
    /// Names something: a component, a file, a technology, a symptom.
    Distinctive,
    /// A generic task word ([`TASK_WORDS`]).
    Task,
    /// No request at all ([`PLEASANTRIES`]), or framing only ([`FILLER`]).
    Pleasantry,
}

pub(crate) fn classify(term: &str) -> WordClass {
    if pleasantry_stems().contains(term) {
        WordClass::Pleasantry
    } else if task_stems().contains(term) {
        WordClass::Task
    } else {
        WordClass::Distinctive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_and_distinctive_words() {
        for w in [
            "tests",
            "fixing",
            "cleaned",
            "changes",
            "refactoring",
            "looks",
        ] {
            let t = &crate::tokenize(w)[0];
            assert_eq!(classify(t), WordClass::Task, "{w}");
        }
        for w in [
            "cheers",
            "danke",
            "picking",
            "follow-up",
            "immer",
            "même",
            "todavía",
        ] {
            let t = &crate::tokenize(w)[0];
            assert_eq!(classify(t), WordClass::Pleasantry, "{w}");
        }
        for w in ["pagination", "stripe", "dockerfile", "webhook", "config"] {
            let t = &crate::tokenize(w)[0];
            assert_eq!(classify(t), WordClass::Distinctive, "{w}");
        }
    }
}
