//! A minimal streaming JSON writer that keeps field order.
//!
//! Codex serialises its structs with serde, so fields come out in declaration order
//! (`{"timestamp":…,"type":…,"payload":{"type":…`). `serde_json::Value` would sort keys (we must
//! not turn on `preserve_order`: feature unification would change it for the whole workspace),
//! and building `Value`s for 2 GB of lines would be slow anyway. This writer appends straight
//! into the session's output buffer and escapes strings exactly like `serde_json` does, so a
//! line is byte-identical to what Codex would write for the same values.

/// Appends JSON to a byte buffer; tracks commas with a small stack.
pub(crate) struct Jw<'a> {
    out: &'a mut Vec<u8>,
    /// Per open container: closing byte and whether a value was already written.
    stack: Vec<(u8, bool)>,
    after_key: bool,
}

/// serde_json's escape table: 0 = copy, b'u' = `\u00XX`, otherwise the char after `\`.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Append `s` as JSON string content (without quotes). Bytes ≥ 0x80 pass through, which is how
/// the invalid-UTF-8 fixture gets raw bytes into an otherwise well-formed line.
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let e = ESCAPE[usize::from(b)];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&s[start..i]);
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        } else {
            out.push(b'\\');
            out.push(e);
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
}

/// The JSON string literal for `s` (with quotes).
pub(crate) fn quote(s: &str) -> String {
    let mut v = Vec::with_capacity(s.len() + 2);
    v.push(b'"');
    escape_into(&mut v, s.as_bytes());
    v.push(b'"');
    String::from_utf8(v).expect("escaping keeps UTF-8")
}

impl<'a> Jw<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Jw {
            out,
            stack: Vec::with_capacity(8),
            after_key: false,
        }
    }

    /// Comma bookkeeping before any value or key.
    fn sep(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if let Some(top) = self.stack.last_mut() {
            if top.1 {
                self.out.push(b',');
            }
            top.1 = true;
        }
    }

    pub fn obj(&mut self) -> &mut Self {
        self.sep();
        self.out.push(b'{');
        self.stack.push((b'}', false));
        self
    }

    pub fn arr(&mut self) -> &mut Self {
        self.sep();
        self.out.push(b'[');
        self.stack.push((b']', false));
        self
    }

    /// Close the innermost object or array.
    pub fn end(&mut self) -> &mut Self {
        let (close, _) = self.stack.pop().expect("end() without open container");
        self.out.push(close);
        self
    }

    pub fn key(&mut self, k: &str) -> &mut Self {
        self.sep();
        self.out.push(b'"');
        escape_into(self.out, k.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.after_key = true;
        self
    }

    pub fn str(&mut self, v: &str) -> &mut Self {
        self.bytes_str(v.as_bytes())
    }

    /// A string value from raw bytes (escaped, but not UTF-8 checked).
    pub fn bytes_str(&mut self, v: &[u8]) -> &mut Self {
        self.sep();
        self.out.push(b'"');
        escape_into(self.out, v);
        self.out.push(b'"');
        self
    }

    /// A string value assembled from pieces, escaped as one string.
    pub fn str_parts(&mut self, parts: &[&[u8]]) -> &mut Self {
        self.sep();
        self.out.push(b'"');
        for p in parts {
            escape_into(self.out, p);
        }
        self.out.push(b'"');
        self
    }

    /// Already-serialised JSON (a number, `null`, a nested document).
    pub fn raw(&mut self, v: &str) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(v.as_bytes());
        self
    }

    pub fn num(&mut self, v: i64) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(v.to_string().as_bytes());
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.raw("null")
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.raw(if v { "true" } else { "false" })
    }

    // Key + value shorthands; they read like the JSON they produce.
    pub fn ks(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k).str(v)
    }
    pub fn kn(&mut self, k: &str, v: i64) -> &mut Self {
        self.key(k).num(v)
    }
    pub fn kraw(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k).raw(v)
    }
    pub fn knull(&mut self, k: &str) -> &mut Self {
        self.key(k).null()
    }
    pub fn kb(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).bool(v)
    }
    pub fn kobj(&mut self, k: &str) -> &mut Self {
        self.key(k).obj()
    }
    pub fn karr(&mut self, k: &str) -> &mut Self {
        self.key(k).arr()
    }
    /// `"k":"v"` when `v` is set, nothing otherwise (Codex's `skip_serializing_if = "Option::is_none"`).
    pub fn ks_opt(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.ks(k, v);
        }
        self
    }
    /// An empty array value.
    pub fn kempty(&mut self, k: &str) -> &mut Self {
        self.kraw(k, "[]")
    }

    pub fn done(&self) -> bool {
        self.stack.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_ordered_compact_json_like_serde() {
        let mut out = Vec::new();
        let mut w = Jw::new(&mut out);
        w.obj().ks("timestamp", "t").ks("type", "x").kobj("payload");
        w.ks("type", "a\"b\\c\n\u{1}é")
            .karr("list")
            .num(1)
            .str("two")
            .obj()
            .end()
            .end();
        w.knull("n").kb("b", true).end().end();
        assert!(w.done());
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            r#"{"timestamp":"t","type":"x","payload":{"type":"a\"b\\c\n\u0001é","list":[1,"two",{}],"n":null,"b":true}}"#
        );
        // Same escaping as serde_json.
        let tricky = "\u{8}\u{c}\t\r\u{1f}\"\\/ü";
        assert_eq!(quote(tricky), serde_json::to_string(tricky).unwrap());
    }
}
