//! Template substitution and the escaping each target format needs.
//!
//! Templates carry `@NAME@` placeholders. [`substitute`] replaces them in one pass, so a value
//! that happens to contain another placeholder's text is never expanded again.

use std::borrow::Cow;

/// Replaces every `@NAME@` whose `NAME` is in `values`. Unknown placeholders are kept.
pub(crate) fn substitute(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('@') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let replaced = after.find('@').and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (end, *value))
        });
        match replaced {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholders (`@UPPER_CASE@`) still present in `text`.
pub(crate) fn leftover_placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' {
            let name_len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_uppercase() || **b == b'_')
                .count();
            if name_len > 0 && bytes.get(i + 1 + name_len) == Some(&b'@') {
                found.push(text[i..i + name_len + 2].to_owned());
                i += name_len + 2;
                continue;
            }
        }
        i += 1;
    }
    found
}

pub use codexd_proto::shell::{join as shell_join, quote as shell_quote};

/// One word of a systemd command line (`ExecStart=`) or assignment (`Environment=`).
///
/// systemd expands `%` specifiers everywhere, so `%` is doubled. `$VAR` is expanded in the
/// *arguments* of a command line but not in the executable's path or in `Environment=`, so
/// `$` is doubled only when `expands_dollar` is set. Words with whitespace, quotes or
/// backslashes are double-quoted with C-style escapes (systemd.syntax(7), systemd.service(5)
/// "Command lines"). Note that systemd 252 refuses an executable path containing quotes or
/// backslashes however it is written ("Executable name contains special characters"); see
/// [`crate::check_codexd_bin`].
pub(crate) fn systemd_word(word: &str, expands_dollar: bool) -> String {
    let mut escaped = word.replace('%', "%%");
    if expands_dollar {
        escaped = escaped.replace('$', "$$");
    }
    let needs_quotes = escaped.is_empty()
        || escaped
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'\\;".contains(c));
    if !needs_quotes {
        return escaped;
    }
    let mut quoted = String::with_capacity(escaped.len() + 2);
    quoted.push('"');
    for c in escaped.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\x{:02x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Escapes text for XML element content.
pub(crate) fn xml_escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `value` can stay a plain (unquoted) YAML scalar on a `key: value` line.
pub(crate) fn is_plain_yaml_scalar(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.chars().any(char::is_control)
}

/// A double-quoted YAML scalar.
pub(crate) fn yaml_double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitute_is_single_pass() {
        let out = substitute("a @X@ b @Y@ @Z@ c@", &[("X", "@Y@"), ("Y", "y")]);
        assert_eq!(out, "a @Y@ b y @Z@ c@");
    }

    #[test]
    fn finds_leftover_placeholders() {
        assert_eq!(
            leftover_placeholders("x @HOME@ user@example.com @a@ @CODEXD_BIN@"),
            vec!["@HOME@", "@CODEXD_BIN@"]
        );
    }

    #[test]
    fn systemd_words() {
        assert_eq!(systemd_word("/usr/bin/codexd", true), "/usr/bin/codexd");
        assert_eq!(systemd_word("/a b/c", true), "\"/a b/c\"");
        assert_eq!(systemd_word("/a%b$c", true), "/a%%b$$c");
        assert_eq!(systemd_word("/a%b$c", false), "/a%%b$c");
        assert_eq!(systemd_word("K=/a$b", false), "K=/a$b");
        assert_eq!(systemd_word("/a\"b\\c", true), "\"/a\\\"b\\\\c\"");
    }

    #[test]
    fn xml() {
        assert_eq!(xml_escape("/Users/a"), "/Users/a");
        assert_eq!(xml_escape("/x/a&b<c>"), "/x/a&amp;b&lt;c&gt;");
    }

    #[test]
    fn yaml_plain() {
        assert!(is_plain_yaml_scalar("Bash(/usr/bin/codexd-client:*), Read"));
        assert!(!is_plain_yaml_scalar("Bash('/a #b/codexd-client':*)x #y"));
        assert!(!is_plain_yaml_scalar("'quoted"));
        assert!(!is_plain_yaml_scalar("a: b"));
        assert_eq!(yaml_double_quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
