//! Loads the stamp key file, or creates it (mode 0600, written atomically) on first start.

use chrono::Utc;
use ocop_stamp::KeyRing;
use std::io::Write;
use std::path::Path;

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

/// Returns the key ring and whether it was just created.
pub fn load_or_create(path: &Path) -> Result<(KeyRing, bool), KeyFileError> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            let ring = KeyRing::from_json(&text).map_err(|source| KeyFileError::Parse {
                path: shown,
                source,
            })?;
            Ok((ring, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let ring = KeyRing::first(fresh_secret()?, Utc::now());
            write_new(path, &ring).map_err(|source| KeyFileError::Create {
                path: shown,
                source,
            })?;
            Ok((ring, true))
        }
        Err(source) => Err(KeyFileError::Read {
            path: shown,
            source,
        }),
    }
}

/// Adds a key with the next kid to an existing key file and returns its kid. The file must
/// exist: rotating a key file that was never used would only hide a wrong path.
pub fn rotate(path: &Path) -> Result<u32, KeyFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut ring = KeyRing::from_json(&text).map_err(|source| KeyFileError::Parse {
        path: shown.clone(),
        source,
    })?;
    let kid = ring.rotate(fresh_secret()?, Utc::now());
    write_new(path, &ring).map_err(|source| KeyFileError::Create {
        path: shown,
        source,
    })?;
    Ok(kid)
}

/// Writes a key ring beside the target and renames it into place, so a crash never leaves a
/// half-written key file.
pub fn write_new(path: &Path, ring: &KeyRing) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "ocop-keys".into())
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(ring.to_json().as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
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

    #[test]
    fn damaged_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }
}
