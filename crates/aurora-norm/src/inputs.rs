//! Expanding the command line's inputs into the list of files to read:
//! directories are walked (sorted, so runs are reproducible), patterns that
//! name no file are expanded as globs (for quoted patterns and shells that
//! leave them alone).

use anyhow::{Result, bail};
use std::path::Path;

/// Expands `args`; an empty list means standard input.
pub fn expand(args: &[String]) -> Result<Vec<String>> {
    if args.is_empty() {
        return Ok(vec!["-".into()]);
    }
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(a.clone());
            continue;
        }
        let p = Path::new(a);
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() || !has_glob_chars(a) {
            // A missing plain file is reported when it is opened, in order.
            out.push(a.clone());
        } else {
            let mut matched = false;
            for entry in glob::glob(a)? {
                let path = entry?;
                matched = true;
                if path.is_dir() {
                    walk(&path, &mut out)?;
                } else {
                    out.push(path.to_string_lossy().into_owned());
                }
            }
            if !matched {
                bail!("{a}: no file matches this pattern");
            }
        }
    }
    Ok(out)
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn walk(dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
