//! Gives the binary an identity for its build cache: a hash of its own sources and of the
//! locked dependency versions, so a cache written by any other build of stacks (even one with
//! the same version number) is never read.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            visit(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    visit(Path::new("src"), &mut files);
    visit(Path::new("themes"), &mut files);
    files.push("Cargo.lock".into());
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=STACKS_BUILD_ID={:016x}", h.finish());
    for watched in ["src", "themes", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={watched}");
    }
}
