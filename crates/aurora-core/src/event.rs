//! The normalized event under construction, and its serialization to nested
//! ECS JSON.
//!
//! Parsers set fields by [`F`] (or by dotted path for fields outside the
//! catalogue). Each value is written as JSON text into one arena the moment it
//! is set, so an event costs no allocation once the buffers have grown, and
//! serializing is a sort of small integers followed by copying byte ranges.

use crate::fields::{F, MAX_PARENTS, catalogue};
use crate::json;
use crate::time;

#[derive(Clone, Copy, Debug)]
enum Key {
    Static(F),
    /// A path outside the catalogue, stored in the arena.
    Dyn {
        start: u32,
        end: u32,
    },
}

#[derive(Clone, Copy, Debug)]
struct Field {
    key: Key,
    start: u32,
    end: u32,
}

/// Severity words by `event.severity` (0 unknown … 5 critical).
pub const SEVERITY_WORDS: [&str; 6] = ["unknown", "info", "low", "medium", "high", "critical"];

/// One event being built. Reuse it across records with [`Event::clear`].
#[derive(Default)]
pub struct Event {
    arena: Vec<u8>,
    fields: Vec<Field>,
    warnings: Vec<String>,
    module: Option<&'static str>,
    has_time: bool,
    /// Some field has a path outside the catalogue.
    has_dyn: bool,
    /// The index in `fields` of an `event.original` whose text is the line
    /// passed to [`Event::write_json_with_original`], escaped straight into
    /// the output instead of through the arena.
    deferred_original: Option<u32>,
    // Scratch for serialization, kept to avoid reallocating per event.
    order: Vec<u32>,
    /// Field index per catalogue rank, and which ranks are set.
    slots: Vec<u32>,
    occupied: Vec<u64>,
}

impl Event {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn clear(&mut self) {
        self.arena.clear();
        self.fields.clear();
        self.warnings.clear();
        self.module = None;
        self.has_time = false;
        self.has_dyn = false;
        self.deferred_original = None;
    }

    /// The module a parser claimed (`suricata`, `zeek`…), for `aurora.source`.
    pub fn module(&self) -> Option<&'static str> {
        self.module
    }

    /// Sets `event.module` and remembers it as the default source name.
    pub fn set_module(&mut self, module: &'static str) {
        self.module = Some(module);
        self.str(F::EventModule, module);
    }

    /// Whether `@timestamp` has been set.
    pub fn has_timestamp(&self) -> bool {
        self.has_time
    }

    /// Adds a note on something the parser had to guess or drop, written as
    /// `aurora.warnings`.
    pub fn warn(&mut self, msg: impl Into<String>) {
        self.warnings.push(msg.into());
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// True if the field has been set.
    pub fn has(&self, f: F) -> bool {
        self.fields
            .iter()
            .any(|x| matches!(x.key, Key::Static(k) if k == f))
    }

    /// The JSON text last set for `f`, if any (for tests and for parsers that
    /// derive one field from another).
    pub fn get_json(&self, f: F) -> Option<&[u8]> {
        self.fields
            .iter()
            .rev()
            .find(|x| matches!(x.key, Key::Static(k) if k == f))
            .map(|x| &self.arena[x.start as usize..x.end as usize])
    }

    #[inline]
    fn push(&mut self, key: Key, start: usize) {
        self.fields.push(Field {
            key,
            start: start as u32,
            end: self.arena.len() as u32,
        });
    }

    /// Sets `f` to whatever JSON `write` appends to the buffer it is given.
    /// The closure must append exactly one valid JSON value.
    #[inline]
    pub fn with(&mut self, f: F, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.arena.len();
        write(&mut self.arena);
        if f == F::Timestamp {
            self.has_time = true;
        }
        self.push(Key::Static(f), start);
    }

    #[inline]
    pub fn str(&mut self, f: F, s: &str) {
        self.with(f, |b| json::write_str(b, s));
    }

    /// Sets a string field unless the value is empty.
    #[inline]
    pub fn str_nonempty(&mut self, f: F, s: &str) {
        if !s.is_empty() {
            self.str(f, s);
        }
    }

    #[inline]
    pub fn i64(&mut self, f: F, v: i64) {
        self.with(f, |b| json::write_i64(b, v));
    }

    #[inline]
    pub fn u64(&mut self, f: F, v: u64) {
        self.with(f, |b| json::write_u64(b, v));
    }

    #[inline]
    pub fn f64(&mut self, f: F, v: f64) {
        self.with(f, |b| json::write_f64(b, v));
    }

    #[inline]
    pub fn bool(&mut self, f: F, v: bool) {
        self.with(f, |b| {
            b.extend_from_slice(if v { b"true" } else { b"false" })
        });
    }

    /// Sets a field to JSON text the caller vouches for.
    #[inline]
    pub fn raw(&mut self, f: F, json_text: &[u8]) {
        self.with(f, |b| b.extend_from_slice(json_text));
    }

    /// Sets `f` to the value of the field set last (which must exist),
    /// sharing its JSON text instead of writing it again.
    #[inline]
    pub fn same_as_last(&mut self, f: F) {
        let last = *self.fields.last().expect("a field was set before");
        if f == F::Timestamp {
            self.has_time = true;
        }
        self.fields.push(Field {
            key: Key::Static(f),
            ..last
        });
    }

    /// Sets an array of strings; an empty list leaves the field unset.
    pub fn strs<'a, I>(&mut self, f: F, items: I)
    where
        I: IntoIterator<Item = &'a str>,
    {
        let start = self.arena.len();
        json::write_str_array(&mut self.arena, items);
        if self.arena.len() - start == 2 {
            self.arena.truncate(start);
            return;
        }
        self.push(Key::Static(f), start);
    }

    /// Sets a time field from microseconds since the Unix epoch (UTC).
    #[inline]
    pub fn time(&mut self, f: F, micros: i64) {
        self.with(f, |b| time::write_rfc3339_micros(b, micros));
    }

    /// Sets `event.severity` and its word `aurora.severity`.
    pub fn severity(&mut self, level: u8) {
        let level = level.min(5);
        self.u64(F::EventSeverity, level as u64);
        self.str(F::AuroraSeverity, SEVERITY_WORDS[level as usize]);
    }

    /// Sets a field by dotted path: the catalogue's fast path when it has
    /// the field, otherwise a dynamic key.
    pub fn dyn_with(&mut self, path: &str, write: impl FnOnce(&mut Vec<u8>)) {
        if let Some(f) = F::from_path(path) {
            return self.with(f, write);
        }
        self.has_dyn = true;
        let ks = self.arena.len();
        self.arena.extend_from_slice(path.as_bytes());
        let ke = self.arena.len();
        let start = self.arena.len();
        write(&mut self.arena);
        self.push(
            Key::Dyn {
                start: ks as u32,
                end: ke as u32,
            },
            start,
        );
    }

    pub fn dyn_str(&mut self, path: &str, s: &str) {
        self.dyn_with(path, |b| json::write_str(b, s));
    }

    fn key_path(&self, k: Key) -> &str {
        match k {
            Key::Static(f) => f.path(),
            // SAFETY of from_utf8: dynamic paths were copied from &str.
            Key::Dyn { start, end } => {
                std::str::from_utf8(&self.arena[start as usize..end as usize]).unwrap_or("")
            }
        }
    }

    /// Sets `event.original` to the line that will be passed to
    /// [`Event::write_json_with_original`], which escapes it straight into
    /// the output (the biggest value of most events, copied once less).
    pub fn set_original_deferred(&mut self) {
        self.deferred_original = Some(self.fields.len() as u32);
        let at = self.arena.len();
        self.push(Key::Static(F::EventOriginal), at);
    }

    /// Appends the event as one line of nested JSON (without the newline).
    pub fn write_json(&mut self, out: &mut Vec<u8>) {
        self.write_json_with_original(out, b"");
    }

    /// Like [`Event::write_json`], with the text of an `event.original` set
    /// by [`Event::set_original_deferred`].
    pub fn write_json_with_original(&mut self, out: &mut Vec<u8>, original: &[u8]) {
        if !self.warnings.is_empty() {
            let start = self.arena.len();
            json::write_str_array(&mut self.arena, self.warnings.iter().map(String::as_str));
            self.push(Key::Static(F::AuroraWarnings), start);
        }
        if !self.has_dyn {
            return self.write_static(out, original);
        }
        if let Some(i) = self.deferred_original.take() {
            // The general path below reads every value from the arena.
            let start = self.arena.len();
            self.arena.push(b'"');
            json::escape_into(&mut self.arena, original);
            self.arena.push(b'"');
            let f = &mut self.fields[i as usize];
            f.start = start as u32;
            f.end = self.arena.len() as u32;
        }
        let cat = catalogue();
        let fields = &self.fields;
        let arena = &self.arena;
        self.order.clear();
        self.order.extend(0..fields.len() as u32);
        let path_of = |k: Key| -> &str {
            match k {
                Key::Static(f) => f.path(),
                Key::Dyn { start, end } => {
                    std::str::from_utf8(&arena[start as usize..end as usize]).unwrap_or("")
                }
            }
        };
        {
            // Some paths are outside the catalogue. Place each between the
            // catalogue ranks by binary search, once, so the sort compares
            // integers; strings are compared only between two such paths
            // that fall in the same gap. Stable: the later of two writes to
            // one field stays later and wins.
            let mut keys: Vec<(u32, &str, u32)> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| match f.key {
                    // Catalogue paths take the odd slots; a path outside it
                    // takes the even slot just before the first catalogue
                    // path that sorts after it.
                    Key::Static(k) => (2 * cat.rank[k as usize] as u32 + 1, "", i as u32),
                    Key::Dyn { .. } => {
                        let p = path_of(f.key);
                        let pos = cat.sorted.partition_point(|s| *s < p);
                        (2 * pos as u32, p, i as u32)
                    }
                })
                .collect();
            keys.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            for (o, k) in self.order.iter_mut().zip(&keys) {
                *o = k.2;
            }
        }

        // Bound what this event can write so the loop below appends without
        // capacity checks (a dynamic key escapes to at most 6 bytes a byte).
        let mut bound = 2 + arena.len();
        for f in fields.iter() {
            bound += 32
                + match f.key {
                    Key::Static(k) => 4 * k.path().len(),
                    Key::Dyn { start, end } => 12 * (end - start) as usize,
                };
        }
        out.reserve(bound);
        let mut w = Appender::new(out);
        let mut scratch = Vec::new();
        w.byte(b'{');
        // Object keys currently open, outermost first.
        let mut open: Vec<&str> = Vec::with_capacity(8);
        let mut first = true;
        let mut dyn_segs: Vec<&str> = Vec::new();
        let n = self.order.len();
        for i in 0..n {
            let fi = self.order[i] as usize;
            let field = fields[fi];
            if i + 1 < n && same_key(fields[self.order[i + 1] as usize].key, field.key, arena) {
                continue;
            }
            let (segs, stat): (&[&str], Option<usize>) = match field.key {
                Key::Static(f) => (&cat.segments[f as usize], Some(f as usize)),
                Key::Dyn { .. } => {
                    dyn_segs.clear();
                    dyn_segs.extend(path_of(field.key).split('.'));
                    (&dyn_segs, None)
                }
            };
            let (parents, leaf) = segs.split_at(segs.len() - 1);
            let common = open
                .iter()
                .zip(parents.iter())
                .take_while(|(a, b)| seg_eq(a, b))
                .count();
            while open.len() > common {
                open.pop();
                w.byte(b'}');
                first = false;
            }
            for (d, p) in parents.iter().enumerate().skip(common) {
                if !first {
                    w.byte(b',');
                }
                match stat {
                    Some(f) => w.put(&cat.open_json[f][d]),
                    None => {
                        scratch.clear();
                        json::write_str(&mut scratch, p);
                        scratch.extend_from_slice(b":{");
                        w.put(&scratch);
                    }
                }
                open.push(p);
                first = true;
            }
            if !first {
                w.byte(b',');
            }
            match stat {
                Some(f) => w.put(&cat.leaf_json[f]),
                None => {
                    scratch.clear();
                    json::write_str(&mut scratch, leaf[0]);
                    scratch.push(b':');
                    w.put(&scratch);
                }
            }
            w.put(&arena[field.start as usize..field.end as usize]);
            first = false;
        }
        for _ in 0..open.len() {
            w.byte(b'}');
        }
        w.byte(b'}');
        w.finish();
    }

    /// The common case: every path is catalogued. Each field goes into a
    /// slot per catalogue rank (a later write to the same field replaces the
    /// earlier one), the slots are read back in rank order through an
    /// occupancy bitmap, and each field is written from facts precomputed
    /// per catalogue field: the objects to close and open come from comparing
    /// packed parent ids, and its keys are one copy.
    fn write_static(&mut self, out: &mut Vec<u8>, original: &[u8]) {
        let cat = catalogue();
        let n_paths = cat.rank.len();
        if self.slots.len() != n_paths {
            self.slots = vec![0; n_paths];
            self.occupied = vec![0; n_paths.div_ceil(64)];
        }
        for (i, f) in self.fields.iter().enumerate() {
            if let Key::Static(k) = f.key {
                let r = cat.rank[k as usize] as usize;
                self.occupied[r / 64] |= 1 << (r % 64);
                self.slots[r] = i as u32;
            }
        }
        let deferred = self.deferred_original.take().unwrap_or(u32::MAX);
        // Bound what this event can write so the loop appends without
        // capacity checks: per field its keys, a comma and up to eight
        // closing braces (written as one word); the escaped original, whose
        // control bytes take six each (`\u001b`): a line of them must not
        // make the escaper grow the buffer past what the loop relies on.
        let bound = 16
            + self.arena.len()
            + self.fields.len() * (cat.max_key + 1 + MAX_PARENTS)
            + if deferred == u32::MAX {
                0
            } else {
                6 * original.len() + 34
            };
        out.reserve(bound);
        let fields = &self.fields;
        let arena = &self.arena;
        let slots = &self.slots;
        let mut w = Appender::new(out);
        w.byte(b'{');
        let mut prev_prefix = 0u64;
        let mut prev_depth = 0usize;
        let mut first = true;
        for (wi, word) in self.occupied.iter_mut().enumerate() {
            let mut x = *word;
            *word = 0;
            while x != 0 {
                let r = wi * 64 + x.trailing_zeros() as usize;
                x &= x - 1;
                let fi = slots[r];
                let field = fields[fi as usize];
                let fo = &cat.out_by_rank[r];
                let depth = fo.depth as usize;
                let same = ((prev_prefix ^ fo.prefix).trailing_zeros() / 8) as usize;
                let common = same.min(depth).min(prev_depth);
                w.closes(prev_depth - common);
                w.comma(!first);
                first = false;
                w.put(&fo.key[fo.off[common] as usize..]);
                if fi == deferred {
                    w.byte(b'"');
                    w.escape(original);
                    w.byte(b'"');
                } else {
                    w.put(&arena[field.start as usize..field.end as usize]);
                }
                prev_prefix = fo.prefix;
                prev_depth = depth;
            }
        }
        w.closes(prev_depth);
        w.byte(b'}');
        w.finish();
    }

    /// Renders the event as a JSON string (tests and debugging).
    pub fn to_json_string(&mut self) -> String {
        let mut v = Vec::new();
        self.write_json(&mut v);
        String::from_utf8(v).expect("events are UTF-8")
    }

    /// Dotted paths set so far, in the order they were set.
    pub fn paths(&self) -> Vec<&str> {
        self.fields.iter().map(|f| self.key_path(f.key)).collect()
    }
}

/// Appends to a Vec within capacity reserved beforehand: no capacity check
/// per append, and short copies (most keys and values) done with a couple
/// of word moves instead of a call to memcpy.
struct Appender<'a> {
    vec: &'a mut Vec<u8>,
    len: usize,
}

impl<'a> Appender<'a> {
    fn new(vec: &'a mut Vec<u8>) -> Self {
        let len = vec.len();
        Self { vec, len }
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        assert!(self.len < self.vec.capacity());
        // SAFETY: in bounds of the allocation, checked just above.
        unsafe { *self.vec.as_mut_ptr().add(self.len) = b };
        self.len += 1;
    }

    #[inline(always)]
    fn put(&mut self, src: &[u8]) {
        assert!(self.len + src.len() <= self.vec.capacity());
        // SAFETY: the destination range is within capacity (checked above).
        unsafe { json::copy_small(self.vec.as_mut_ptr().add(self.len), src) };
        self.len += src.len();
    }

    /// Writes `n` (at most [`MAX_PARENTS`]) closing braces.
    #[inline(always)]
    fn closes(&mut self, n: usize) {
        const BRACES: [u8; MAX_PARENTS] = [b'}'; MAX_PARENTS];
        assert!(n <= MAX_PARENTS && self.len + MAX_PARENTS <= self.vec.capacity());
        // SAFETY: MAX_PARENTS bytes fit within capacity (checked above); only
        // the first `n` count as written.
        unsafe {
            std::ptr::write_unaligned(self.vec.as_mut_ptr().add(self.len) as *mut _, BRACES);
        }
        self.len += n;
    }

    /// Writes a comma if `yes`.
    #[inline(always)]
    fn comma(&mut self, yes: bool) {
        assert!(self.len < self.vec.capacity());
        // SAFETY: in bounds of the allocation, checked just above; counted
        // as written only if wanted.
        unsafe { *self.vec.as_mut_ptr().add(self.len) = b',' };
        self.len += yes as usize;
    }

    /// Appends `s` escaped as JSON string contents (may grow the vector).
    fn escape(&mut self, s: &[u8]) {
        // SAFETY: every byte up to `len` was written.
        unsafe { self.vec.set_len(self.len) };
        json::escape_into(self.vec, s);
        self.len = self.vec.len();
    }

    fn finish(self) {
        // SAFETY: every byte up to `len` was written above.
        unsafe { self.vec.set_len(self.len) };
    }
}

/// Segment equality, by pointer first: catalogue segments are interned.
#[inline]
fn seg_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.as_ptr() == b.as_ptr() || a == b)
}

fn same_key(a: Key, b: Key, arena: &[u8]) -> bool {
    match (a, b) {
        (Key::Static(x), Key::Static(y)) => x == y,
        (Key::Dyn { start: s1, end: e1 }, Key::Dyn { start: s2, end: e2 }) => {
            arena[s1 as usize..e1 as usize] == arena[s2 as usize..e2 as usize]
        }
        (Key::Static(f), Key::Dyn { start, end }) | (Key::Dyn { start, end }, Key::Static(f)) => {
            f.path().as_bytes() == &arena[start as usize..end as usize]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn nests_fields_sharing_a_prefix() {
        let mut e = Event::new();
        e.str(F::SourceIp, "10.0.0.1");
        e.u64(F::DestinationPort, 443);
        e.u64(F::SourcePort, 5555);
        e.str(F::Timestamp, "2020-01-01T00:00:00.000000Z");
        e.strs(F::EventCategory, ["network", "intrusion_detection"]);
        e.dyn_str("zzz.custom.deep", "x");
        e.dyn_str("source.nat.ip", "1.2.3.4");
        e.severity(4);
        let v: Value = serde_json::from_str(&e.to_json_string()).unwrap();
        assert_eq!(
            v,
            json!({
                "@timestamp": "2020-01-01T00:00:00.000000Z",
                "aurora": {"severity": "high"},
                "destination": {"port": 443},
                "event": {"category": ["network", "intrusion_detection"], "severity": 4},
                "source": {"ip": "10.0.0.1", "port": 5555, "nat": {"ip": "1.2.3.4"}},
                "zzz": {"custom": {"deep": "x"}}
            })
        );
    }

    /// Keys of every object in `json`, failing on a repeated one (serde_json
    /// would silently keep the last).
    fn assert_no_duplicate_keys(json: &str) {
        struct Check;
        impl<'de> serde::de::Visitor<'de> for Check {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(k) = m.next_key::<String>()? {
                    assert!(seen.insert(k.clone()), "duplicate key {k:?}");
                    m.next_value::<Any>()?;
                }
                Ok(())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
                while s.next_element::<Any>()?.is_some() {}
                Ok(())
            }
            fn visit_str<E>(self, _: &str) -> Result<(), E> {
                Ok(())
            }
            fn visit_u64<E>(self, _: u64) -> Result<(), E> {
                Ok(())
            }
            fn visit_i64<E>(self, _: i64) -> Result<(), E> {
                Ok(())
            }
            fn visit_f64<E>(self, _: f64) -> Result<(), E> {
                Ok(())
            }
            fn visit_bool<E>(self, _: bool) -> Result<(), E> {
                Ok(())
            }
            fn visit_unit<E>(self) -> Result<(), E> {
                Ok(())
            }
        }
        struct Any;
        impl<'de> serde::Deserialize<'de> for Any {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Any, D::Error> {
                d.deserialize_any(Check).map(|()| Any)
            }
        }
        let mut de = serde_json::Deserializer::from_str(json);
        serde::Deserializer::deserialize_any(&mut de, Check).unwrap();
    }

    #[test]
    fn paths_outside_the_catalogue_nest_with_their_siblings() {
        // `file.gid` sorts between catalogue paths of `file.*` and before
        // `file.hash.*`: it must not split the `hash` object in two.
        let mut e = Event::new();
        e.str(F::FileHashMd5, "m");
        e.dyn_str("file.gid", "0");
        e.str(F::FileHashSha1, "s");
        e.dyn_str("file.hash.tlsh", "t");
        e.str(F::FileDirectory, "/boot");
        e.dyn_str("a.first", "1");
        e.dyn_str("zz.last", "z");
        e.str(F::Timestamp, "2020-01-01T00:00:00.000000Z");
        let s = e.to_json_string();
        assert_no_duplicate_keys(&s);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            v["file"]["hash"],
            json!({"md5": "m", "sha1": "s", "tlsh": "t"})
        );
        assert_eq!(v["file"]["gid"], "0");
        assert_eq!(v["zz"]["last"], "z");
    }

    #[test]
    fn last_write_wins_and_no_duplicate_keys() {
        let mut e = Event::new();
        e.str(F::EventKind, "event");
        e.str(F::EventKind, "alert");
        e.dyn_str("event.kind", "signal");
        let s = e.to_json_string();
        assert_eq!(s.matches("\"kind\"").count(), 1, "{s}");
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["event"]["kind"], "signal");
    }

    #[test]
    fn last_write_wins_on_the_all_static_path_too() {
        let mut e = Event::new();
        e.str(F::EventKind, "event");
        e.u64(F::SourcePort, 1);
        e.str(F::EventKind, "alert");
        e.str(F::Timestamp, "t");
        assert_eq!(
            e.to_json_string(),
            r#"{"@timestamp":"t","event":{"kind":"alert"},"source":{"port":1}}"#
        );
    }

    #[test]
    fn empty_lists_are_left_out_and_clear_resets() {
        let mut e = Event::new();
        e.strs(F::RelatedIp, std::iter::empty());
        e.warn("no time");
        assert_eq!(e.to_json_string(), r#"{"aurora":{"warnings":["no time"]}}"#);
        e.clear();
        assert_eq!(e.to_json_string(), "{}");
    }

    /// Nests `value` under a dotted path in a serde_json object.
    fn insert(root: &mut Value, path: &str, value: Value) {
        let segs: Vec<&str> = path.split('.').collect();
        let mut cur = root;
        for s in &segs[..segs.len() - 1] {
            cur = cur
                .as_object_mut()
                .unwrap()
                .entry(s.to_string())
                .or_insert_with(|| json!({}));
        }
        cur.as_object_mut()
            .unwrap()
            .insert(segs[segs.len() - 1].to_string(), value);
    }

    #[test]
    fn every_catalogue_field_nests_on_the_static_path() {
        // All fields at once, and every field alone next to a neighbour in
        // rank order: exercises each close/open transition the packed parent
        // ids compute.
        let all: Vec<F> = F::ALL
            .iter()
            .copied()
            // A field that is also a parent of others cannot coexist with them.
            .filter(|f| {
                !F::ALL
                    .iter()
                    .any(|g| g.path().starts_with(&format!("{}.", f.path())))
            })
            .collect();
        let mut e = Event::new();
        let mut want = json!({});
        for (i, f) in all.iter().enumerate().rev() {
            e.u64(*f, i as u64);
            insert(&mut want, f.path(), json!(i));
        }
        let s = e.to_json_string();
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v, want);
        for pair in all.windows(2) {
            let mut e = Event::new();
            let mut want = json!({});
            for (i, f) in pair.iter().enumerate() {
                e.u64(*f, i as u64);
                insert(&mut want, f.path(), json!(i));
            }
            let v: Value = serde_json::from_str(&e.to_json_string()).unwrap();
            assert_eq!(v, want, "{:?}", pair);
        }
    }

    #[test]
    fn deferred_original_is_escaped_on_both_paths() {
        let line = br#"{"a":"q"x\y","t":"	"}"#;
        for with_dyn in [false, true] {
            let mut e = Event::new();
            e.str(F::EventOriginal, "replaced");
            e.str(F::EventKind, "event");
            if with_dyn {
                e.dyn_str("zzz.x", "y");
            }
            e.set_original_deferred();
            e.u64(F::SourcePort, 1);
            let mut out = Vec::new();
            e.write_json_with_original(&mut out, line);
            let v: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(
                v["event"]["original"].as_str().unwrap().as_bytes(),
                line,
                "dyn {with_dyn}"
            );
            assert_eq!(v["event"]["kind"], "event");
            assert_eq!(v["source"]["port"], 1);
            assert_eq!(v.get("zzz").is_some(), with_dyn);
            // Reused after clear: nothing deferred any more.
            e.clear();
            e.str(F::EventKind, "k");
            assert_eq!(e.to_json_string(), r#"{"event":{"kind":"k"}}"#);
        }
    }

    #[test]
    fn same_as_last_shares_the_value() {
        let mut e = Event::new();
        e.str(F::SourceAddress, "10.0.0.1");
        e.same_as_last(F::SourceIp);
        e.str(F::EventKind, "k");
        e.same_as_last(F::Timestamp);
        assert!(e.has_timestamp());
        assert_eq!(e.get_json(F::SourceIp), Some(&b"\"10.0.0.1\""[..]));
        assert_eq!(
            e.to_json_string(),
            r#"{"@timestamp":"k","event":{"kind":"k"},"source":{"address":"10.0.0.1","ip":"10.0.0.1"}}"#
        );
    }
}
