//! Uploaded files on disk, named by their SHA-256: the same file uploaded twice is stored once,
//! and a stored file cannot change under its record.
//!
//! Layout under the data directory: `documents/ab/abcdef…` and `imports/abcdef….xlsx` (sheets
//! kept between an import's dry run and its commit).

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct FileStore {
    root: PathBuf,
}

#[derive(Debug, Clone, Copy)]
pub enum Area {
    Documents,
    Imports,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl FileStore {
    pub fn new(root: PathBuf) -> FileStore {
        FileStore { root }
    }

    fn path(&self, area: Area, sha: &str) -> Option<PathBuf> {
        // Only a full lower-case hex digest names a file: nothing else can reach the disk.
        if sha.len() != 64
            || !sha
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        Some(match area {
            Area::Documents => self.root.join("documents").join(&sha[..2]).join(sha),
            Area::Imports => self.root.join("imports").join(format!("{sha}.xlsx")),
        })
    }

    /// Stores the bytes durably (written beside, synced, renamed) and returns their SHA-256.
    pub async fn put(&self, area: Area, bytes: Vec<u8>) -> std::io::Result<String> {
        let sha = sha256_hex(&bytes);
        let path = self.path(area, &sha).expect("a digest is a valid name");
        tokio::task::spawn_blocking(move || write_atomically(&path, &bytes))
            .await
            .map_err(std::io::Error::other)??;
        Ok(sha)
    }

    pub async fn get(&self, area: Area, sha: &str) -> std::io::Result<Vec<u8>> {
        match self.path(area, sha) {
            Some(p) => tokio::fs::read(p).await,
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a stored file",
            )),
        }
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().expect("stored files live in a directory");
    std::fs::create_dir_all(dir)?;
    // Named after the content: two uploads of different files never share a temporary name.
    let tmp = path.with_extension("part");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_digest_and_refuses_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path().to_path_buf());
        let sha = files
            .put(Area::Documents, b"%PDF-1.7".to_vec())
            .await
            .unwrap();
        assert_eq!(sha, sha256_hex(b"%PDF-1.7"));
        assert_eq!(
            files
                .put(Area::Documents, b"%PDF-1.7".to_vec())
                .await
                .unwrap(),
            sha
        );
        assert_eq!(files.get(Area::Documents, &sha).await.unwrap(), b"%PDF-1.7");
        assert!(files
            .get(Area::Documents, "../../etc/passwd")
            .await
            .is_err());
        assert!(files.get(Area::Imports, &sha).await.is_err());
    }
}
