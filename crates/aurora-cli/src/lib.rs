//! Plumbing every aurora binary shares: a raw, unbuffered-by-line stdout that
//! treats a closed pipe as a normal end, larger pipe buffers, and the
//! `--generate` output (man page, shell completions) that keeps the docs in
//! `man/` and `completions/` derived from the clap definitions alone.

use std::fs::File;
use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;

/// Exit status: everything went through.
pub const EXIT_OK: i32 = 0;
/// Exit status: finished, but some records were rejected.
pub const EXIT_REJECTS: i32 = 1;
/// Exit status: could not run (usage, unreadable input, unwritable output).
pub const EXIT_FAILURE: i32 = 2;

/// Standard output as a plain file descriptor. Rust's `Stdout` is
/// line-buffered, which costs a syscall per event; aurora writes whole
/// chunks of events at once and decides itself when to flush.
pub struct RawStdout(ManuallyDrop<File>);

impl RawStdout {
    pub fn new() -> Self {
        // SAFETY: fd 1 is open for the life of the process; ManuallyDrop
        // keeps us from closing it.
        Self(ManuallyDrop::new(unsafe { File::from_raw_fd(1) }))
    }

    /// Writes all of `buf`; a closed reader (`| head`) ends the process
    /// quietly with status 0, as a filter should.
    pub fn write_all_or_exit(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.0.write_all(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(EXIT_OK),
            other => other,
        }
    }
}

impl Default for RawStdout {
    fn default() -> Self {
        Self::new()
    }
}

/// Raises the kernel buffer of `fd` to 1 MiB if it is a pipe: with the
/// default 64 KiB, a fast producer and consumer spend their time waking
/// each other. Failure (not a pipe, or over the user limit) is harmless.
pub fn raise_pipe_buffer(fd: i32) {
    // SAFETY: fcntl on a descriptor we do not own the lifetime of is fine;
    // F_SETPIPE_SZ either applies or returns an error we ignore.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// What `--generate` can produce.
pub const GENERATE_KINDS: &[&str] = &["man", "complete-bash", "complete-zsh", "complete-fish"];

/// Writes a man page or a completion script for `cmd` to stdout.
pub fn generate(mut cmd: clap::Command, kind: &str) -> anyhow::Result<()> {
    use clap_complete::Shell;
    let name = cmd.get_name().to_string();
    let mut out = io::stdout().lock();
    match kind {
        "man" => clap_mangen::Man::new(cmd).render(&mut out)?,
        "complete-bash" => clap_complete::generate(Shell::Bash, &mut cmd, name, &mut out),
        "complete-zsh" => clap_complete::generate(Shell::Zsh, &mut cmd, name, &mut out),
        "complete-fish" => clap_complete::generate(Shell::Fish, &mut cmd, name, &mut out),
        other => anyhow::bail!("unknown --generate kind {other:?}"),
    }
    out.flush()?;
    Ok(())
}
