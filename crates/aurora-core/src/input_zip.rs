//! Velociraptor export zips (offline collector results, `create_hunt_download`):
//! the result files inside, each to be read as its own input.
//!
//! An export holds `results/<Artifact>%2F<Source>.json` (JSON lines) beside
//! uploads, logs and metadata; only the result files are rows. Each member
//! is named `<zip>:<member path>` so that the normalizer's file-name
//! detection finds the artifact in it and rejects say where a row came from.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Members larger than this are refused: a zip's sizes are attacker data,
/// and memory must stay bounded.
pub const MAX_MEMBER: u64 = 1 << 30;

/// True for the members of an export that hold result rows.
pub fn is_results_member(name: &str) -> bool {
    let n = name.trim_start_matches("./");
    (n.starts_with("results/") || n.contains("/results/"))
        && (n.ends_with(".json") || n.ends_with(".jsonl"))
}

/// True if the file starts with a zip signature.
pub fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"PK\x03\x04")
}

/// The result members of an export zip, in archive order, as
/// (`<zip display name>:<member path>`, contents).
pub fn zip_members(path: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let display = path.display().to_string();
    let mut out = Vec::new();
    for_each_member(path, |name, reader| {
        let mut buf = Vec::new();
        reader.read_to_end(&mut buf)?;
        out.push((format!("{display}:{name}"), buf));
        Ok(())
    })?;
    Ok(out)
}

/// Streams each result member to `f` as (member path, reader) without holding
/// more than one in memory.
pub fn for_each_member(
    path: &Path,
    mut f: impl FnMut(&str, &mut dyn Read) -> io::Result<()>,
) -> io::Result<()> {
    let file = File::open(path)?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file)).map_err(zip_error)?;
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).map_err(zip_error)?;
        if !member.is_file() || !is_results_member(member.name()) {
            continue;
        }
        if member.size() > MAX_MEMBER {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: member larger than 1 GiB", member.name()),
            ));
        }
        let name = member.name().to_string();
        let mut limited = (&mut member).take(MAX_MEMBER);
        f(&name, &mut limited)?;
    }
    Ok(())
}

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_result_members() {
        assert!(is_results_member(
            "results/Windows.Network.NetstatEnriched%2FNetstat.json"
        ));
        assert!(is_results_member("C.123/results/Linux.Sys.Pslist.json"));
        assert!(!is_results_member("uploads/auto/C%3A/x.json"));
        assert!(!is_results_member("log.json"));
    }
}
