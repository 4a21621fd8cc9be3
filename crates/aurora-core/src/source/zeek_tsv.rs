//! Zeek's classic TSV logs: the `#` header directives and the data rows.
//!
//! The header (`#separator`, `#set_separator`, `#empty_field`,
//! `#unset_field`, `#path`, `#fields`, `#types`) says how to read the rows
//! that follow, and may change mid-stream (several logs concatenated on stdin,
//! a log rotated under a follower), so it is re-read at every `#separator`.

use crate::reject::RecordError;
use crate::source::zeek;
use crate::source::zeek::map::Record;
use crate::source::zeek::value::{List, Scalar, TsvList, Ty, Val, check_tsv_list};
use std::sync::Arc;

/// How to read the data rows that follow a header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub separator: u8,
    pub set_separator: String,
    pub empty_field: String,
    pub unset_field: String,
    /// The log type (`conn`, `dns`…), from `#path`.
    pub path: Option<String>,
    pub fields: Vec<String>,
    pub types: Vec<String>,
}

impl Default for Header {
    fn default() -> Self {
        Self {
            separator: b'\t',
            set_separator: ",".into(),
            empty_field: "(empty)".into(),
            unset_field: "-".into(),
            path: None,
            fields: Vec::new(),
            types: Vec::new(),
        }
    }
}

impl Header {
    /// A header is usable once it names the columns.
    pub fn is_ready(&self) -> bool {
        !self.fields.is_empty()
    }
}

/// Decodes Zeek's `\xNN` escapes (used for the separator itself and for
/// non-printable bytes in values). Other backslashes are kept as they are.
pub fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("\\x") {
        return s.into();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1] == b'x' {
            if let (Some(h), Some(l)) = (hex(b[i + 2]), hex(b[i + 3])) {
                out.push(h << 4 | l);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The header in force as lines go by.
#[derive(Clone, Debug, Default)]
pub struct HeaderState {
    current: Option<Arc<Header>>,
}

impl HeaderState {
    pub fn new(current: Option<Arc<Header>>) -> Self {
        Self { current }
    }

    /// The header data rows are read with, if one has been seen.
    pub fn current(&self) -> Option<&Arc<Header>> {
        self.current.as_ref().filter(|h| h.is_ready())
    }

    pub fn snapshot(&self) -> Option<Arc<Header>> {
        self.current.clone()
    }

    /// Takes in a line starting with `#`. Returns true if it was a Zeek
    /// directive; other `#` lines are comments and change nothing.
    pub fn observe(&mut self, line: &str) -> bool {
        if let Some(rest) = line.strip_prefix("#separator") {
            let sep = unescape(rest.trim_start_matches([' ', '\t']));
            let sep = sep.as_bytes().first().copied().unwrap_or(b'\t');
            self.current = Some(Arc::new(Header {
                separator: sep,
                ..Header::default()
            }));
            return true;
        }
        let Some(body) = line.strip_prefix('#') else {
            return false;
        };
        let sep = self.current.as_ref().map_or(b'\t', |h| h.separator) as char;
        let (key, value) = body.split_once(sep).unwrap_or((body, ""));
        let h = Arc::make_mut(self.current.get_or_insert_with(Default::default));
        match key {
            "set_separator" => h.set_separator = unescape(value).into_owned(),
            "empty_field" => h.empty_field = unescape(value).into_owned(),
            "unset_field" => h.unset_field = unescape(value).into_owned(),
            "path" => h.path = Some(value.to_string()),
            "fields" => h.fields = value.split(sep).map(str::to_string).collect(),
            "types" => h.types = value.split(sep).map(str::to_string).collect(),
            "open" | "close" => {}
            _ => return false,
        }
        true
    }
}

impl HeaderState {
    /// Feeds every `#` line of a chunk of whole lines, so that the next
    /// chunk can start with the header these lines leave in force. This is
    /// how a reader thread hands worker threads what they need to read rows.
    pub fn observe_chunk(&mut self, chunk: &[u8]) {
        let mut take = |start: usize| {
            let rest = &chunk[start..];
            let line = memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i]);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Ok(text) = std::str::from_utf8(line) {
                self.observe(text);
            }
        };
        if chunk.first() == Some(&b'#') {
            take(0);
        }
        for pos in memchr::memmem::find_iter(chunk, b"\n#") {
            take(pos + 1);
        }
    }
}

/// Per-thread state for reading rows: the parsed `#types` of the header in
/// force and the column boundaries of the current row, reused across rows.
#[derive(Default)]
pub struct RowScratch {
    schema_of: Option<Arc<Header>>,
    types: Vec<Ty>,
    /// Log guessed from the column names when nothing names it.
    guessed: Option<&'static str>,
    cols: Vec<(usize, usize)>,
}

impl RowScratch {
    fn schema(&mut self, header: &Arc<Header>) -> Result<(), RecordError> {
        if self
            .schema_of
            .as_ref()
            .is_some_and(|h| Arc::ptr_eq(h, header))
        {
            return Ok(());
        }
        self.schema_of = None;
        self.types.clear();
        if header.types.is_empty() {
            // No #types: read every column as text, except the time.
            self.types
                .extend(header.fields.iter().map(|f| match f.as_str() {
                    "ts" => Ty {
                        scalar: Scalar::Time,
                        list: false,
                    },
                    _ => Ty::STR,
                }));
        } else if header.types.len() != header.fields.len() {
            return Err(RecordError::new(format!(
                "#types names {} columns, #fields names {}",
                header.types.len(),
                header.fields.len()
            )));
        } else {
            self.types.extend(header.types.iter().map(|t| Ty::parse(t)));
        }
        self.guessed = zeek::logs::guess(|k| header.fields.iter().any(|f| f == k));
        self.schema_of = Some(header.clone());
        Ok(())
    }
}

/// A data row with the header it is read by.
struct Row<'a> {
    header: &'a Header,
    types: &'a [Ty],
    line: &'a str,
    cols: &'a [(usize, usize)],
}

impl<'a> Record<'a> for Row<'a> {
    fn each(
        &self,
        f: &mut dyn FnMut(&'a str, Val<'a>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError> {
        let h = self.header;
        for (i, (&(s, e), ty)) in self.cols.iter().zip(self.types).enumerate() {
            let name: &'a str = h.fields.get(i).map_or("", String::as_str);
            let raw = self.line.get(s..e).unwrap_or("");
            if raw == h.unset_field {
                continue;
            }
            let val = if raw == h.empty_field {
                match (ty.list, ty.scalar) {
                    (true, _) => Val::List(List::Empty),
                    (false, Scalar::Str) => Val::Str(std::borrow::Cow::Borrowed("")),
                    _ => continue,
                }
            } else if ty.list {
                let l = TsvList {
                    raw,
                    set_separator: &h.set_separator,
                    unset: &h.unset_field,
                    empty: &h.empty_field,
                    elem: ty.scalar,
                };
                if let Err(what) = check_tsv_list(&l) {
                    return Err(bad_value(i, name, ty, raw, what));
                }
                Val::List(List::Tsv(l))
            } else {
                match Val::from_tsv(raw, ty.scalar) {
                    Ok(v) => v,
                    // An unreadable ts leaves the event to the arrival-time
                    // fallback; the row itself is fine.
                    Err(_) if name == "ts" => continue,
                    Err(what) => return Err(bad_value(i, name, ty, raw, what)),
                }
            };
            f(name, val)?;
        }
        Ok(())
    }
}

fn bad_value(i: usize, name: &str, ty: &Ty, raw: &str, what: &str) -> RecordError {
    let mut shown: String = raw.chars().take(40).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    let list = if ty.list { " member" } else { "" };
    RecordError::new(format!(
        "column {} ({name}): {shown:?} is not {what}{list}",
        i + 1
    ))
}

/// Maps one data row read with `header`.
pub fn normalize_row(
    header: &Arc<Header>,
    line: &str,
    log_hint: Option<&str>,
    scratch: &mut RowScratch,
    ev: &mut crate::event::Event,
) -> Result<(), RecordError> {
    scratch.schema(header)?;
    let sep = header.separator;
    if !sep.is_ascii() {
        // A non-ASCII byte could split a character; Zeek never uses one.
        return Err(RecordError::new(format!(
            "#separator \\x{sep:02x} is not an ASCII character"
        )));
    }
    scratch.cols.clear();
    let mut start = 0;
    for i in memchr::memchr_iter(sep, line.as_bytes()) {
        scratch.cols.push((start, i));
        start = i + 1;
    }
    scratch.cols.push((start, line.len()));
    if scratch.cols.len() != header.fields.len() {
        return Err(RecordError::new(format!(
            "row has {} columns, #fields names {}",
            scratch.cols.len(),
            header.fields.len()
        )));
    }
    let log = zeek::logs::resolve(header.path.as_deref(), log_hint, |_| false);
    let log = if header.path.is_none() && log_hint.is_none() {
        scratch.guessed.unwrap_or(log)
    } else {
        log
    };
    let row = Row {
        header,
        types: &scratch.types,
        line,
        cols: &scratch.cols,
    };
    zeek::map::map(&row, log, ev)
}

#[cfg(test)]
#[allow(clippy::items_after_test_module)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_header_and_a_change_mid_stream() {
        let mut st = HeaderState::default();
        for l in [
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#open\t2019-01-01-00-00-00",
            "#fields\tts\tuid\tid.orig_h",
            "#types\ttime\tstring\taddr",
        ] {
            assert!(st.observe(l), "{l}");
        }
        let h = st.current().unwrap().clone();
        assert_eq!(h.separator, b'\t');
        assert_eq!(h.path.as_deref(), Some("conn"));
        assert_eq!(h.fields, ["ts", "uid", "id.orig_h"]);
        assert_eq!(h.types, ["time", "string", "addr"]);
        assert!(!st.observe("### BTest baseline data generated by btest-diff"));
        st.observe("#separator \\x7c");
        st.observe("#path|dns");
        assert!(st.current().is_none(), "no #fields yet for the new header");
        st.observe("#fields|ts|query");
        assert_eq!(st.current().unwrap().fields, ["ts", "query"]);
        assert_eq!(st.current().unwrap().path.as_deref(), Some("dns"));
    }

    #[test]
    fn unescapes_hex() {
        assert_eq!(unescape("a\\x09b\\x5cc"), "a\tb\\c");
        assert_eq!(unescape("no escapes"), "no escapes");
        assert_eq!(unescape("bad \\xZZ"), "bad \\xZZ");
    }
}
