//! Opening inputs: files (plain or gzip, by content rather than name) and
//! standard input, and telling live streams (pipes, terminals) from files.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// An opened input, ready for a [`crate::ndjson::ChunkReader`].
pub struct Input {
    /// Display name used in rejects and messages (`-` for stdin).
    pub name: String,
    pub reader: Box<dyn Read + Send>,
    /// Data arrives over time (pipe, terminal, socket): flush when idle.
    pub live: bool,
    /// When a regular file was last modified (µs since the epoch); None for
    /// standard input, pipes and sockets.
    pub written: Option<i64>,
}

/// Opens `path` (`-` is stdin). Gzip is recognized by its magic bytes, so a
/// renamed or rotated `.gz` still reads.
pub fn open(path: &str) -> io::Result<Input> {
    if path == "-" {
        let live = fd_is_stream(0);
        let stdin = io::stdin();
        return Ok(Input {
            name: "-".into(),
            reader: sniff_gzip(Box::new(stdin))?,
            live,
            written: None,
        });
    }
    let f = File::open(Path::new(path))?;
    if f.metadata()?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a directory",
        ));
    }
    use std::os::unix::fs::FileTypeExt;
    let meta = f.metadata()?;
    let ft = meta.file_type();
    let live = ft.is_fifo() || ft.is_socket() || ft.is_char_device();
    let written = match (ft.is_file(), meta.modified()) {
        (true, Ok(t)) => t
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_micros()).ok()),
        _ => None,
    };
    Ok(Input {
        name: path.to_string(),
        reader: sniff_gzip(Box::new(f))?,
        live,
        written,
    })
}

fn fd_is_stream(fd: i32) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let path = format!("/proc/self/fd/{fd}");
    match std::fs::metadata(path) {
        Ok(m) => {
            let ft = m.file_type();
            ft.is_fifo() || ft.is_socket() || ft.is_char_device()
        }
        Err(_) => true,
    }
}

/// Peeks at the first two bytes; wraps the reader in a gzip decoder if they
/// are the gzip magic.
fn sniff_gzip(mut r: Box<dyn Read + Send>) -> io::Result<Box<dyn Read + Send>> {
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head[..n].to_vec()).chain(r));
    if n == 2 && head == [0x1f, 0x8b] {
        Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            chained,
        ))))
    } else {
        Ok(chained)
    }
}

/// The file name without directories and compression/log extensions, used
/// to guess which log a file holds (`conn.log.gz` → `conn`).
pub fn log_stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.strip_suffix(".gz").unwrap_or(base)
}
