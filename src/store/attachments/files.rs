//! The attachments' bytes on disk, named by their SHA-256 under
//! `files_dir` (`ab/cdef…`), so the same content is stored once.
//!
//! A file is written under a temporary name (`.part-…`) in `files_dir`
//! itself (the same file system as its final place), synced, then renamed
//! to its hash and the folder synced: a crash at any point leaves either
//! nothing or a `.part-` file that nothing reads, never a half file under
//! a real name. The disk work runs in blocking threads.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::attachment::{FileType, Refusal, Sniffer, is_sha256_hex};

/// The prefix of a file still being written; never read as an attachment.
pub const PART_PREFIX: &str = ".part-";

/// The folder of the attachments' files.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file of a hash lives (it may not exist).
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        debug_assert!(is_sha256_hex(sha256));
        self.root.join(&sha256[..2]).join(&sha256[2..])
    }

    /// Starts a new file under a temporary name; it is deleted unless it
    /// is committed. `limit` is the most bytes it may take.
    pub async fn create(&self, limit: u64) -> std::io::Result<Incoming> {
        let root = self.root.clone();
        let (file, temp) = blocking(move || {
            std::fs::create_dir_all(&root)?;
            let mut bytes = [0u8; 12];
            rand::thread_rng().fill_bytes(&mut bytes);
            let temp = root.join(format!("{PART_PREFIX}{}", hex(&bytes)));
            let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
            Ok((file, temp))
        })
        .await?;
        Ok(Incoming {
            file: Some(file),
            temp: Some(temp),
            root: self.root.clone(),
            hasher: Sha256::new(),
            sniffer: Sniffer::new(),
            limit,
            over: false,
        })
    }

    /// Opens the file of a hash for reading.
    pub fn open(&self, sha256: &str) -> std::io::Result<std::fs::File> {
        std::fs::File::open(self.path_of(sha256))
    }
}

/// A file being written.
pub struct Incoming {
    file: Option<std::fs::File>,
    /// `None` once it has been handed on.
    temp: Option<PathBuf>,
    root: PathBuf,
    hasher: Sha256,
    sniffer: Sniffer,
    limit: u64,
    over: bool,
}

impl Incoming {
    /// Appends a chunk. Past the limit nothing more is written and
    /// [`Incoming::is_over`] says so (the file will be refused).
    pub async fn write<B: AsRef<[u8]> + Send + 'static>(&mut self, chunk: B) -> std::io::Result<()> {
        if self.over {
            return Ok(());
        }
        let bytes = chunk.as_ref();
        if self.sniffer.len() + bytes.len() as u64 > self.limit {
            self.over = true;
            return Ok(());
        }
        self.hasher.update(bytes);
        self.sniffer.feed(bytes);
        let mut file = self.file.take().expect("a file until sealed");
        let (file, written) = blocking_pair(move || {
            let r = file.write_all(chunk.as_ref());
            (file, r)
        })
        .await?;
        self.file = Some(file);
        written
    }

    /// Whether the file went over its size limit.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// Ends the file: its type is told and its bytes are synced to disk.
    /// A refused file is deleted at once.
    pub async fn seal(mut self) -> std::io::Result<Result<Sealed, Refusal>> {
        let file = self.file.take().expect("a file until sealed");
        blocking(move || file.sync_all()).await?;
        let size = self.sniffer.len();
        let sniffer = std::mem::take(&mut self.sniffer);
        let found = if self.over {
            Err(Refusal::TooLarge)
        } else {
            sniffer.finish()
        };
        let file_type = match found {
            Ok(t) => t,
            // Dropping `self` deletes the temporary file.
            Err(refusal) => return Ok(Err(refusal)),
        };
        let sha256 = hex(&std::mem::take(&mut self.hasher).finalize());
        Ok(Ok(Sealed {
            temp: self.temp.take(),
            root: self.root.clone(),
            sha256,
            size,
            file_type,
        }))
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// A whole file on disk under its temporary name, its type and hash known.
#[derive(Debug)]
pub struct Sealed {
    temp: Option<PathBuf>,
    root: PathBuf,
    pub sha256: String,
    pub size: u64,
    pub file_type: FileType,
}

impl Sealed {
    /// Moves the file to its hash's name. The same content already there
    /// is replaced by an identical copy (an atomic rename), so it is still
    /// stored once.
    pub async fn commit(mut self) -> std::io::Result<()> {
        let temp = self.temp.clone().expect("committed once");
        let dest = FileStore::new(self.root.clone()).path_of(&self.sha256);
        let root = self.root.clone();
        blocking(move || {
            let dir = dest.parent().expect("a hash folder").to_path_buf();
            let new_dir = !dir.exists();
            std::fs::create_dir_all(&dir)?;
            std::fs::rename(&temp, &dest)?;
            sync_dir(&dir)?;
            if new_dir {
                sync_dir(&root)?;
            }
            Ok(())
        })
        .await?;
        // Moved: nothing is left under the temporary name to delete.
        self.temp = None;
        Ok(())
    }
}

impl Drop for Sealed {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// A folder's entry names synced, so a rename in it survives a power cut.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The SHA-256 and size of a file, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> std::io::Result<T> + Send + 'static) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?
}

async fn blocking_pair<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests;
