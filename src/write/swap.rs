//! Putting a finished tree in place of the published one in a single step.
//!
//! On Linux (`renameat2` with `RENAME_EXCHANGE`) and macOS (`renamex_np` with `RENAME_SWAP`) the
//! two folders trade names atomically: at every moment the output folder is the old site or the
//! new one. Where the filesystem cannot exchange (some network filesystems) or the platform has
//! no such call, two renames are used, with a moment in between where the output folder is
//! missing, never one where it holds a mix.

use std::io;
use std::path::Path;

/// Gives `new` the name `out` and `out` the name `new`. When `out` does not exist, `new` is
/// simply renamed to it.
pub(crate) fn exchange(new: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(new, out);
    }
    if atomic_exchange(new, out)? {
        return Ok(());
    }
    let aside = out.with_file_name(format!(
        ".{}.stacks-old-{}",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    std::fs::rename(&aside, new)
}

/// Exchanges the two names in one call; `Ok(false)` when the platform or filesystem cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn atomic_exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
        Err(e) if e == rustix::io::Errno::NOTSUP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn atomic_exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_folders_trade_names() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new"), "n").unwrap();
        std::fs::write(b.join("old"), "o").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new").exists() && a.join("old").exists());
        let c = tmp.path().join("c");
        exchange(&a, &c).unwrap();
        assert!(
            c.join("old").exists() && !a.exists(),
            "renamed when out is missing"
        );
    }
}
