//! The inputs of `code` and `ingest`: paths expanded into files, opened.
//!
//! A directory run must never stop on one bad entry: a dangling symbolic
//! link, a link loop or an unreadable directory becomes an [`Input::Bad`]
//! (an error record downstream) and the walk goes on; a directory reached
//! twice (a link back to an ancestor) is read once; special files found in
//! a directory (FIFOs, sockets, devices) are skipped with a warning, since
//! reading one may block forever.

use annalist_ingest::{codes, Failure, Origin};
use anyhow::Context;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file to read (a regular file, or a special file named explicitly,
    /// such as the pipe of `<(zcat x.gz)`).
    File(PathBuf),
    /// A path that cannot be read, and why: it yields one error record.
    Bad { path: PathBuf, message: String },
}

impl Input {
    /// The failure an unreadable input becomes, for its error record.
    pub fn failure(path: &Path, message: String) -> Failure {
        Failure {
            origin: Origin {
                source: path.display().to_string(),
                line: None,
                index: 0,
            },
            doc_id: None,
            code: codes::IO_ERROR,
            message,
        }
    }
}

/// The inputs of a run and the warnings the walk raised.
#[derive(Debug, Default)]
pub struct Walk {
    pub inputs: Vec<Input>,
    pub warnings: Vec<String>,
}

/// An identity for a file or directory that survives links: device and inode.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// What kind of special file a file type is, for the warning.
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a fifo";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    let _ = ft;
    "not a regular file"
}

/// Why a path's metadata cannot be read, in words a user can act on.
fn why_unreadable(path: &Path, e: &std::io::Error) -> String {
    let shown = path.display();
    // ELOOP has no stable `ErrorKind` on every toolchain; its errno is 40 on
    // Linux and 62 on the BSDs and macOS.
    if matches!(e.raw_os_error(), Some(40) | Some(62)) {
        return format!("{shown}: symbolic link loop; fix or remove the link");
    }
    if e.kind() == std::io::ErrorKind::NotFound {
        let target = std::fs::read_link(path)
            .map(|t| format!(" (its target {} does not exist)", t.display()))
            .unwrap_or_default();
        return format!("{shown}: dangling symbolic link{target}; fix or remove the link");
    }
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        return format!("{shown}: permission denied; check the file's permissions");
    }
    format!("{shown}: {}", e.to_string().to_lowercase())
}

impl Walk {
    /// Expands the paths: directories recursively (hidden entries skipped),
    /// in name order so that output order, batches and story-event numbering
    /// are reproducible. No path at all means standard input. A path given
    /// by name that does not exist is a usage error (a typo, most likely);
    /// everything found inside directories is reported per entry instead.
    pub fn new(paths: &[PathBuf]) -> anyhow::Result<Walk> {
        let mut walk = Walk::default();
        let mut seen = HashSet::new();
        for p in paths {
            if p.as_os_str() == "-" {
                walk.inputs.push(Input::Stdin);
            } else if p.is_dir() {
                walk.dir(p, &mut seen);
            } else if p.exists() {
                walk.inputs.push(Input::File(p.clone()));
            } else if p.symlink_metadata().is_ok() {
                // A link that does not resolve: a dangling link or a loop.
                match std::fs::metadata(p) {
                    Err(e) => walk.bad(p, why_unreadable(p, &e)),
                    Ok(_) => walk.inputs.push(Input::File(p.clone())),
                }
            } else {
                anyhow::bail!("{}: no such file or directory", p.display());
            }
        }
        if paths.is_empty() {
            walk.inputs.push(Input::Stdin);
        }
        Ok(walk)
    }

    /// Walks one directory, unless it was walked already (through another
    /// link, or a link back to one of its ancestors).
    fn dir(&mut self, dir: &Path, seen: &mut HashSet<(u64, u64)>) {
        let meta = match std::fs::metadata(dir) {
            Ok(m) => m,
            Err(e) => return self.bad(dir, why_unreadable(dir, &e)),
        };
        if let Some(id) = identity(&meta) {
            if !seen.insert(id) {
                self.warnings.push(format!(
                    "{}: directory already read (a symbolic link cycle or a second link to it); skipped",
                    dir.display()
                ));
                return;
            }
        }
        let listing = match std::fs::read_dir(dir) {
            Ok(l) => l,
            Err(e) => {
                let message = format!(
                    "cannot read directory {}: {}; check its permissions",
                    dir.display(),
                    e.to_string().to_lowercase()
                );
                return self.bad(dir, message);
            }
        };
        let mut entries: Vec<PathBuf> = listing
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for p in entries {
            self.entry(&p, seen);
        }
    }

    /// One entry of a directory, links followed.
    fn entry(&mut self, p: &Path, seen: &mut HashSet<(u64, u64)>) {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => return self.bad(p, why_unreadable(p, &e)),
        };
        let ft = meta.file_type();
        if ft.is_dir() {
            self.dir(p, seen);
        } else if ft.is_file() {
            self.inputs.push(Input::File(p.to_path_buf()));
        } else {
            self.warnings.push(format!(
                "{}: {} inside a directory, not a regular file; skipped",
                p.display(),
                special_kind(&ft)
            ));
        }
    }

    fn bad(&mut self, path: &Path, message: String) {
        self.inputs.push(Input::Bad {
            path: path.to_path_buf(),
            message,
        });
    }

    /// The identities of the input files, to tell whether an output would
    /// overwrite one of them.
    pub fn file_identities(&self) -> HashSet<(u64, u64)> {
        self.inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(p) => std::fs::metadata(p).ok().and_then(|m| identity(&m)),
                _ => None,
            })
            .collect()
    }
}

/// The identity of a path, if it exists.
pub fn path_identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().and_then(|m| identity(&m))
}

/// Expands the paths into files (see [`Walk::new`]). Paths that cannot be
/// read stay in the list, so that opening them reports why; special files
/// inside directories are left out with a warning on standard error.
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let walk = Walk::new(paths)?;
    for w in &walk.warnings {
        eprintln!("warning: {w}");
    }
    Ok(walk
        .inputs
        .into_iter()
        .map(|i| match i {
            Input::Stdin => PathBuf::from("-"),
            Input::File(p) | Input::Bad { path: p, .. } => p,
        })
        .collect())
}

/// Opens one input: its display name (`-` for standard input) and its bytes.
pub fn open(path: &Path) -> anyhow::Result<(String, Box<dyn Read + Send>)> {
    if path.as_os_str() == "-" {
        return Ok(("-".into(), Box::new(std::io::stdin())));
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok((path.display().to_string(), Box::new(file)))
}

/// Opens one input of a walk, or says why it cannot be read: the failure of
/// its error record.
pub fn open_input(input: &Input) -> Result<(String, Box<dyn Read + Send>), Failure> {
    match input {
        Input::Stdin => Ok(("-".into(), Box::new(std::io::stdin()))),
        Input::File(path) => match std::fs::File::open(path) {
            Ok(file) => Ok((path.display().to_string(), Box::new(file))),
            Err(e) => Err(Input::failure(path, why_unreadable(path, &e))),
        },
        Input::Bad { path, message } => Err(Input::failure(path, message.clone())),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("annalist-inputs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn symlink_cycle_is_read_once() {
        let dir = scratch("cycle");
        std::fs::create_dir(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/x.txt"), "text").unwrap();
        symlink("..", dir.join("a/up")).unwrap();
        let walk = Walk::new(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(walk.inputs, vec![Input::File(dir.join("a/x.txt"))]);
        assert_eq!(walk.warnings.len(), 1, "{:?}", walk.warnings);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dangling_link_and_loop_are_bad_inputs_and_the_walk_goes_on() {
        let dir = scratch("bad");
        symlink(dir.join("gone"), dir.join("a-dangling")).unwrap();
        symlink(dir.join("b-loop"), dir.join("b-loop")).unwrap();
        std::fs::write(dir.join("c.txt"), "text").unwrap();
        let walk = Walk::new(std::slice::from_ref(&dir)).unwrap();
        let Input::Bad { message, .. } = &walk.inputs[0] else {
            panic!("{:?}", walk.inputs)
        };
        assert!(message.contains("dangling symbolic link"), "{message}");
        let Input::Bad { message, .. } = &walk.inputs[1] else {
            panic!("{:?}", walk.inputs)
        };
        assert!(message.contains("symbolic link loop"), "{message}");
        assert_eq!(walk.inputs[2], Input::File(dir.join("c.txt")));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fifo_in_a_directory_is_skipped() {
        let dir = scratch("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("pipe"))
            .status()
            .is_ok_and(|s| s.success());
        std::fs::write(dir.join("z.txt"), "text").unwrap();
        let walk = Walk::new(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(walk.inputs, vec![Input::File(dir.join("z.txt"))]);
        if made {
            assert!(walk.warnings[0].contains("a fifo"), "{:?}", walk.warnings);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
