//! Builds the `zeek` object of an event (`{"session_id":…,"dns":{…}}`) from
//! flat dotted keys, in buffers reused across records.
//!
//! Zeek names record fields with dots (`id.orig_h`, `version.major`,
//! `san.dns`); Elastic expands them into objects, and so does this writer.
//! Keys are sorted segment by segment so that siblings nest together whatever
//! order the record listed them in; a later duplicate key wins; a key that is
//! both a value and a prefix (`a` and `a.b`) keeps the longer one flat
//! (`"a.b"`) rather than write a duplicate key. Keys come from the input, so
//! one with an empty segment (`a..b`) or more than [`MAX_DOTS`] dots is not
//! expanded past its first segment: the output never nests deeper than a
//! JSON reader's recursion limit allows.

use crate::source::zeek::value::Val;
use std::cmp::Ordering;

#[derive(Default)]
pub struct ObjWriter {
    keys: String,
    vals: Vec<u8>,
    /// (key start, key end, value start, value end, insertion order)
    ents: Vec<(u32, u32, u32, u32, u32)>,
    /// Per entry, how many bytes of the key may be cut at dots.
    splits: Vec<u32>,
    /// FNV-1a of each entry's key, to find duplicates and clashes cheaply.
    hashes: Vec<u64>,
    open: Vec<(usize, usize)>,
    /// The fast path's open objects: (key range, hash of the path so far).
    fast_open: Vec<(usize, usize, u64)>,
    /// Hashes of object paths the fast path has closed.
    closed: Vec<u64>,
}

/// The most dots a key may have and still be expanded (Zeek's own keys,
/// namespace included, have at most three).
pub const MAX_DOTS: usize = 6;

/// How much of `full` may be cut at dots: all of it, or only up to and
/// including its first dot for keys that are odd (see the module notes).
fn split_len(full: &str) -> usize {
    let b = full.as_bytes();
    let dots = b.iter().filter(|&&c| c == b'.').count();
    let odd = dots > MAX_DOTS
        || b.first() == Some(&b'.')
        || b.last() == Some(&b'.')
        || memchr::memmem::find(b, b"..").is_some();
    if !odd {
        return b.len();
    }
    match memchr::memchr(b'.', b) {
        Some(p) if p > 0 => p + 1,
        _ => 0,
    }
}

fn fnv(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h = (h ^ c as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl ObjWriter {
    pub fn clear(&mut self) {
        self.keys.clear();
        self.vals.clear();
        self.ents.clear();
        self.hashes.clear();
        self.splits.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.ents.is_empty()
    }

    /// Adds `prefix.key` (or `key` when `prefix` is empty) = `val`.
    pub fn put(&mut self, prefix: &str, key: &str, val: &Val<'_>) {
        self.put_with(prefix, key, |b| val.write(b));
    }

    pub fn put_with(&mut self, prefix: &str, key: &str, write: impl FnOnce(&mut Vec<u8>)) {
        let ks = self.keys.len();
        if !prefix.is_empty() {
            self.keys.push_str(prefix);
            self.keys.push('.');
        }
        self.keys.push_str(key);
        let vs = self.vals.len();
        write(&mut self.vals);
        let n = self.ents.len() as u32;
        self.hashes.push(fnv(&self.keys.as_bytes()[ks..]));
        self.splits.push(split_len(&self.keys[ks..]) as u32);
        self.ents.push((
            ks as u32,
            self.keys.len() as u32,
            vs as u32,
            self.vals.len() as u32,
            n,
        ));
    }

    /// Appends the object as JSON.
    pub fn write(&mut self, out: &mut Vec<u8>) {
        let start = out.len();
        if self.write_in_order(out) {
            return;
        }
        out.truncate(start);
        self.write_sorted(out);
    }

    /// The common case, without sorting: Zeek lists the fields of a record
    /// together, so objects can be written in the record's order. Returns
    /// false (leaving `out` to be truncated) on a duplicate key, an object
    /// whose members are not adjacent, or a key that is a value and a prefix.
    fn write_in_order(&mut self, out: &mut Vec<u8>) -> bool {
        let n = self.ents.len();
        // The checks below are quadratic; Zeek records have a few dozen
        // fields, and a hostile one with thousands takes the sorted path.
        if n > 96 {
            return false;
        }
        for i in 0..n {
            for j in i + 1..n {
                if self.hashes[i] == self.hashes[j] {
                    return false;
                }
            }
        }
        let keys = self.keys.as_bytes();
        let open = &mut self.fast_open;
        let closed = &mut self.closed;
        open.clear();
        closed.clear();
        out.push(b'{');
        let mut first = true;
        for (e, &split) in self.ents.iter().zip(&self.splits) {
            let (ks, ke) = (e.0 as usize, e.1 as usize);
            let k = &keys[ks..ke];
            let split = split as usize;
            // Walk the segments of `k`, keeping those already open.
            let mut pos = 0;
            let mut depth = 0;
            while let Some(dot) = memchr::memchr(b'.', &k[pos..split.max(pos)]) {
                let seg = &k[pos..pos + dot];
                match open.get(depth) {
                    Some(&(s, e2, _)) if &keys[s..e2] == seg => {
                        depth += 1;
                        pos += dot + 1;
                    }
                    _ => break,
                }
            }
            while open.len() > depth {
                if let Some((_, _, h)) = open.pop() {
                    closed.push(h);
                }
                out.push(b'}');
                first = false;
            }
            while let Some(dot) = memchr::memchr(b'.', &k[pos..split.max(pos)]) {
                let h = fnv(&k[..pos + dot]);
                if closed.contains(&h) || self.hashes.contains(&h) {
                    return false;
                }
                if !first {
                    out.push(b',');
                }
                json_key(out, &k[pos..pos + dot]);
                out.push(b'{');
                open.push((ks + pos, ks + pos + dot, h));
                pos += dot + 1;
                first = true;
            }
            if !first {
                out.push(b',');
            }
            json_key(out, &k[pos..]);
            out.extend_from_slice(&self.vals[e.2 as usize..e.3 as usize]);
            first = false;
        }
        for _ in 0..open.len() {
            out.push(b'}');
        }
        out.push(b'}');
        true
    }

    /// The general case: sorted by key, segment by segment.
    fn write_sorted(&mut self, out: &mut Vec<u8>) {
        let keys = &self.keys;
        let splits = &self.splits;
        let key = |e: &(u32, u32, u32, u32, u32)| &keys[e.0 as usize..e.1 as usize];
        let split_of = |e: &(u32, u32, u32, u32, u32)| splits[e.4 as usize] as usize;
        self.ents.sort_by(|a, b| {
            cmp_segments(segs(key(a), split_of(a)), segs(key(b), split_of(b))).then(a.4.cmp(&b.4))
        });
        // Open objects, as byte ranges of `keys`, outermost first.
        let open = &mut self.open;
        open.clear();
        let seg = |r: (usize, usize)| &keys[r.0..r.1];
        out.push(b'{');
        let mut first = true;
        // The leaf written last and the depth it was written at.
        let mut last_leaf: Option<(usize, (usize, usize))> = None;
        let n = self.ents.len();
        for i in 0..n {
            let e = self.ents[i];
            let k = key(&e);
            if i + 1 < n && key(&self.ents[i + 1]) == k {
                continue;
            }
            let base = e.0 as usize;
            let nparents = k.as_bytes()[..split_of(&e).min(k.len())]
                .iter()
                .filter(|&&c| c == b'.')
                .count();
            let mut pos = 0;
            let mut common = 0;
            for s in k.split('.').take(nparents) {
                if common < open.len() && seg(open[common]) == s {
                    common += 1;
                    pos += s.len() + 1;
                } else {
                    break;
                }
            }
            while open.len() > common {
                open.pop();
                out.push(b'}');
                first = false;
            }
            let mut flat = false;
            for s in k[pos..].split('.').take(nparents - common) {
                if let Some((depth, r)) = last_leaf
                    && depth == open.len()
                    && seg(r) == s
                {
                    // `s` was written as a value: keep the rest of the path
                    // flat (and `s` blocking, for its other children).
                    flat = true;
                    break;
                }
                if !first {
                    out.push(b',');
                }
                crate::json::write_str(out, s);
                out.extend_from_slice(b":{");
                open.push((base + pos, base + pos + s.len()));
                pos += s.len() + 1;
                first = true;
            }
            if !first {
                out.push(b',');
            }
            crate::json::write_str(out, &k[pos..]);
            out.push(b':');
            out.extend_from_slice(&self.vals[e.2 as usize..e.3 as usize]);
            if !flat {
                last_leaf = Some((open.len(), (base + pos, e.1 as usize)));
            }
            first = false;
        }
        for _ in 0..open.len() {
            out.push(b'}');
        }
        out.push(b'}');
    }
}

/// Writes `"key":`; keys are slices of UTF-8 keys cut at ASCII dots.
fn json_key(out: &mut Vec<u8>, k: &[u8]) {
    out.push(b'"');
    crate::json::escape_into(out, k);
    out.extend_from_slice(b"\":");
}

/// The segments of a key: cut at every dot within its first `split` bytes,
/// the rest being the last segment.
fn segs(k: &str, split: usize) -> impl Iterator<Item = &str> {
    let (head, tail) = if split >= k.len() {
        (k, None)
    } else if split == 0 {
        ("", Some(k))
    } else {
        (&k[..split - 1], Some(&k[split..]))
    };
    let head = (tail.is_none() || !head.is_empty()).then(|| head.split('.'));
    head.into_iter().flatten().chain(tail)
}

/// Orders dotted keys segment by segment, so `a.b` sorts next to `a` (a
/// plain byte order would put `a-c` between them).
fn cmp_segments<'s>(
    mut x: impl Iterator<Item = &'s str>,
    mut y: impl Iterator<Item = &'s str>,
) -> Ordering {
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => match p.cmp(q) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn s(v: &str) -> Val<'_> {
        Val::Str(Cow::Borrowed(v))
    }

    #[test]
    fn nests_sorts_and_dedupes() {
        let mut w = ObjWriter::default();
        w.put("dns", "query", &s("a"));
        w.put("", "session_id", &s("C1"));
        w.put("dns", "version.major", &Val::Count(8));
        w.put("dns", "a-c", &Val::Bool(true));
        w.put("dns", "version.minor", &Val::Count(0));
        w.put("dns", "query", &s("b"));
        let mut out = Vec::new();
        w.write(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"session_id":"C1","dns":{"query":"b","a-c":true,"version":{"major":8,"minor":0}}})
        );
        assert_eq!(String::from_utf8(out).unwrap().matches("query").count(), 1);
    }

    #[test]
    fn keeps_record_order_when_it_can() {
        let mut w = ObjWriter::default();
        w.put("", "session_id", &s("C1"));
        w.put("x", "b", &Val::Count(1));
        w.put("x", "v.major", &Val::Count(2));
        w.put("x", "v.minor", &Val::Count(3));
        w.put("x", "a", &Val::Count(4));
        let mut out = Vec::new();
        w.write(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"session_id":"C1","x":{"b":1,"v":{"major":2,"minor":3},"a":4}}"#
        );
        // Members of `v` apart: sorted instead.
        let mut w = ObjWriter::default();
        w.put("x", "v.major", &Val::Count(2));
        w.put("x", "a", &Val::Count(4));
        w.put("x", "v.minor", &Val::Count(3));
        let mut out = Vec::new();
        w.write(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"x":{"a":4,"v":{"major":2,"minor":3}}}"#
        );
    }

    #[test]
    fn odd_keys_nest_no_deeper_than_their_first_segment() {
        let deep = format!("id{}x", ".".repeat(300));
        let mut w = ObjWriter::default();
        w.put("conn", "id.a", &Val::Count(1));
        w.put("conn", &deep, &Val::Count(2));
        w.put("conn", "a.b.c.d.e.f.g", &Val::Count(3));
        w.put("conn", "id.z", &Val::Count(4));
        w.put("conn", ".lead", &Val::Count(5));
        let mut out = Vec::new();
        w.write(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["conn"]["id"], serde_json::json!({"a": 1, "z": 4}));
        assert_eq!(v["conn"][deep.as_str()], 2);
        assert_eq!(v["conn"]["a.b.c.d.e.f.g"], 3);
        assert_eq!(v["conn"][".lead"], 5);
        // The in-order writer gives up on `id` apart; the sorted one agrees.
        let mut w = ObjWriter::default();
        w.put("", &deep, &Val::Count(2));
        let mut out = Vec::new();
        w.write(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["id"][".".repeat(299) + "x"], 2);
    }

    #[test]
    fn leaf_and_prefix_do_not_collide() {
        let mut w = ObjWriter::default();
        w.put("x", "a", &Val::Count(1));
        w.put("x", "a.b", &Val::Count(2));
        w.put("x", "a.c.d", &Val::Count(3));
        let mut out = Vec::new();
        w.write(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"x":{"a":1,"a.b":2,"a.c.d":3}}"#
        );
    }
}
