//! Tantivy's directory for readers that may not write: a read-only mount, or another user's
//! index.
//!
//! A tantivy reader takes `.tantivy-meta.lock` while it opens the segments, so that a writer's
//! clean-up in another process does not delete a file between reading `meta.json` and opening
//! it. Taking that lock means creating the file; where that is not allowed, quarry opens the
//! index without it. The race it guards against is rare, and lost, it makes the open fail (a
//! missing file), never read wrong data; [`ReadOnlyTolerant::open`]'s caller sees the error.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// An mmap directory whose locks are skipped where the folder can't be written.
#[derive(Clone, Debug)]
pub struct ReadOnlyTolerant {
    inner: MmapDirectory,
}

impl ReadOnlyTolerant {
    pub fn open(folder: &Path) -> tantivy::Result<ReadOnlyTolerant> {
        Ok(ReadOnlyTolerant {
            inner: MmapDirectory::open(folder)?,
        })
    }
}

/// Whether a lock failed because the folder can't be written, rather than being held.
fn cannot_write(err: &LockError) -> bool {
    match err {
        LockError::IoError(io) => {
            matches!(
                io.kind(),
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
            )
        }
        LockError::LockBusy => false,
    }
}

impl Directory for ReadOnlyTolerant {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(err) if cannot_write(&err) => Ok(DirectoryLock::from(Box::new(()))),
            locked => locked,
        }
    }
}
