//! Loads the stamp key file, or creates it (mode 0600, written atomically) on first start.
//!
//! Several servers may start at once on a fresh key file, and `ocop keys rotate` may run while
//! they do. The rules that keep every key that was ever handed out:
//! - a key file is first written under a temporary name of its own (never shared, never
//!   truncated), synced, and only then given its real name;
//! - creating takes the real name with a hard link, which fails if the name exists, so of
//!   several starters exactly one creates the file and the others read the winner's;
//! - rotating holds an exclusive lock on the key file while it reads, adds a key and renames
//!   the new file into place, so two rotations cannot both add "the next" key.

use chrono::Utc;
use ocop_stamp::KeyRing;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read the key file {path}: {source} (check the path given by --key-file / OCOP_KEY_FILE and its permissions)")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the key file {path} is damaged: {source} (restore it from your backup; stamps already printed depend on it)")]
    Parse {
        path: String,
        source: ocop_stamp::KeyRingError,
    },
    #[error("cannot create the key file {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot draw random bytes for a new key: {0}")]
    Random(String),
}

pub fn fresh_secret() -> Result<[u8; 32], KeyFileError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| KeyFileError::Random(e.to_string()))?;
    Ok(secret)
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Read {
        path: path.display().to_string(),
        source,
    }
}

fn create_error(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Create {
        path: path.display().to_string(),
        source,
    }
}

fn parse(path: &Path, text: &str) -> Result<KeyRing, KeyFileError> {
    KeyRing::from_json(text).map_err(|source| KeyFileError::Parse {
        path: path.display().to_string(),
        source,
    })
}

/// The key ring in the file, or `None` if there is no file.
fn read_existing(path: &Path) -> Result<Option<KeyRing>, KeyFileError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            parse(path, &text).map(Some)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(read_error(path)(e)),
    }
}

/// Returns the key ring and whether it was just created. When several processes start at once
/// on a missing key file, one creates it and every other one returns the winner's keys.
pub fn load_or_create(path: &Path) -> Result<(KeyRing, bool), KeyFileError> {
    if let Some(ring) = read_existing(path)? {
        return Ok((ring, false));
    }
    let ring = KeyRing::first(fresh_secret()?, Utc::now());
    if create_if_absent(path, &ring).map_err(create_error(path))? {
        return Ok((ring, true));
    }
    // Another process created it between our read and our link: its keys are the keys.
    let text = std::fs::read_to_string(path).map_err(read_error(path))?;
    Ok((parse(path, &text)?, false))
}

/// Adds a key with the next kid to an existing key file and returns its kid. The file must
/// exist: rotating a key file that was never used would only hide a wrong path.
pub fn rotate(path: &Path) -> Result<u32, KeyFileError> {
    let locked = lock_existing(path).map_err(read_error(path))?;
    let text = std::io::read_to_string(&locked).map_err(read_error(path))?;
    let mut ring = parse(path, &text)?;
    let kid = ring.rotate(fresh_secret()?, Utc::now());
    replace(path, &ring).map_err(create_error(path))?;
    // The lock goes with `locked`, after the new file has its name: a rotation waiting for it
    // then finds the name on another file and locks that one.
    drop(locked);
    Ok(kid)
}

/// Opens the key file and holds an exclusive lock on it, on the file that has the name when
/// the lock is granted (a rotation that held the lock before may have replaced it).
fn lock_existing(path: &Path) -> std::io::Result<File> {
    loop {
        // Read-write where allowed, because NFS grants exclusive locks only to writers; a key
        // file made read-only (0400) is still replaced by renaming, so read-only is enough.
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
        {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => File::open(path)?,
            opened => opened?,
        };
        file.lock()?;
        if still_named(&file, path)? {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (held, named) = (file.metadata()?, std::fs::metadata(path)?);
    Ok(held.dev() == named.dev() && held.ino() == named.ino())
}

#[cfg(not(unix))]
fn still_named(_: &File, _: &Path) -> std::io::Result<bool> {
    Ok(true)
}

fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A written and synced key file under a name of its own beside `path`; removed when dropped
/// unless it was renamed away.
struct Temporary(PathBuf);

impl Temporary {
    fn write(path: &Path, ring: &KeyRing) -> std::io::Result<Temporary> {
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| std::io::Error::other(e.to_string()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "ocop-keys".into());
        let tmp = directory_of(path).join(format!(
            ".{name}.{}.{:016x}.tmp",
            std::process::id(),
            u64::from_le_bytes(nonce)
        ));
        let mut options = std::fs::OpenOptions::new();
        // A name nobody else uses, so no other writer can truncate or interleave with ours.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        let temporary = Temporary(tmp);
        file.write_all(ring.to_json().as_bytes())?;
        file.sync_all()?;
        Ok(temporary)
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn sync_directory(path: &Path) {
    if let Ok(d) = File::open(directory_of(path)) {
        let _ = d.sync_all();
    }
}

/// Gives `ring` the name `path` unless a file has it already; true if this call created it.
fn create_if_absent(path: &Path, ring: &KeyRing) -> std::io::Result<bool> {
    let tmp = Temporary::write(path, ring)?;
    match std::fs::hard_link(&tmp.0, path) {
        Ok(()) => {
            sync_directory(path);
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes a key ring beside the target and renames it over the target, so readers see the old
/// file or the new one, never half of one.
fn replace(path: &Path, ring: &KeyRing) -> std::io::Result<()> {
    let tmp = Temporary::write(path, ring)?;
    std::fs::rename(&tmp.0, path)?;
    sync_directory(path);
    Ok(())
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "the key file is readable by other users: chmod 600 it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_with_private_mode_then_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (ring, created) = load_or_create(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let (again, created) = load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(again, ring);
    }

    #[test]
    fn rotation_adds_a_key_and_keeps_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        assert!(matches!(rotate(&path), Err(KeyFileError::Read { .. })));
        let (ring, _) = load_or_create(&path).unwrap();
        assert_eq!(rotate(&path).unwrap(), 2);
        let (after, _) = load_or_create(&path).unwrap();
        assert_eq!(after.keys().len(), 2);
        assert_eq!(after.keys()[0], ring.keys()[0]);
        assert_eq!(after.current().kid, 2);
    }

    /// What `n` threads, released together, get from `f`.
    fn at_once<T: Send + 'static>(n: usize, f: impl Fn() -> T + Send + Sync + 'static) -> Vec<T> {
        let start = std::sync::Arc::new(std::sync::Barrier::new(n));
        let f = std::sync::Arc::new(f);
        let threads: Vec<_> = (0..n)
            .map(|_| {
                let (start, f) = (start.clone(), f.clone());
                std::thread::spawn(move || {
                    start.wait();
                    f()
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn starters_at_once_on_an_empty_directory_share_one_new_key_file() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("keys.json");
            let shared = path.clone();
            let got = at_once(8, move || load_or_create(&shared));
            let got: Vec<(KeyRing, bool)> = got.into_iter().map(Result::unwrap).collect();
            assert_eq!(got.iter().filter(|(_, created)| *created).count(), 1);
            let on_disk = KeyRing::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert!(got.iter().all(|(ring, _)| *ring == on_disk));
            assert_eq!(
                names_in(dir.path()),
                ["keys.json"],
                "no temporary file is left"
            );
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600);
            }
        }
    }

    #[test]
    fn an_existing_key_file_is_never_overwritten_by_a_starter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (first, _) = load_or_create(&path).unwrap();
        let other = KeyRing::first(fresh_secret().unwrap(), Utc::now());
        assert!(!create_if_absent(&path, &other).unwrap());
        assert_eq!(load_or_create(&path).unwrap(), (first, false));
        assert_eq!(names_in(dir.path()), ["keys.json"]);
    }

    #[test]
    fn rotations_at_once_keep_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (first, _) = load_or_create(&path).unwrap();
        let shared = path.clone();
        let mut kids: Vec<u32> = at_once(6, move || rotate(&shared).unwrap());
        kids.sort_unstable();
        assert_eq!(kids, [2, 3, 4, 5, 6, 7], "each rotation added its own key");
        let (after, created) = load_or_create(&path).unwrap();
        assert!(!created);
        let kids: Vec<u32> = after.keys().iter().map(|k| k.kid).collect();
        assert_eq!(kids, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(after.keys()[0], first.keys()[0]);
        assert_eq!(names_in(dir.path()), ["keys.json"]);
    }

    #[test]
    fn damaged_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }
}
