use super::*;

/// Every file under the store's folder, relative, sorted.
fn listing(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    if root.exists() {
        walk(root, root, &mut out);
    }
    out.sort();
    out
}

async fn store_bytes(store: &FileStore, bytes: &'static [u8]) -> Sealed {
    let mut f = store.create(1024).await.unwrap();
    for chunk in bytes.chunks(7) {
        f.write(chunk.to_vec()).await.unwrap();
    }
    f.seal().await.unwrap().unwrap()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";

#[tokio::test]
async fn the_same_content_twice_is_stored_once_under_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("files"));
    let first = store_bytes(&store, PDF).await;
    let sha = first.sha256.clone();
    assert_eq!((first.size, first.file_type), (PDF.len() as u64, FileType::Pdf));
    first.commit().await.unwrap();
    store_bytes(&store, PDF).await.commit().await.unwrap();
    assert_eq!(listing(store.root()), vec![format!("{}/{}", &sha[..2], &sha[2..])]);
    assert_eq!(std::fs::read(store.path_of(&sha)).unwrap(), PDF);
    assert_eq!(hash_file(&store.path_of(&sha)).unwrap(), (sha, PDF.len() as u64));
}

#[tokio::test]
async fn a_crash_between_writing_and_renaming_leaves_no_file_under_a_real_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("files"));
    let sealed = store_bytes(&store, PDF).await;
    let sha = sealed.sha256.clone();
    // The process dies here: no destructor runs, the rename never happens.
    std::mem::forget(sealed);
    let left = listing(store.root());
    assert_eq!(left.len(), 1);
    assert!(left[0].starts_with(PART_PREFIX), "only a temporary name: {left:?}");
    assert!(!store.path_of(&sha).exists());
    // The next upload of the same content is stored as if nothing happened.
    store_bytes(&store, PDF).await.commit().await.unwrap();
    assert_eq!(std::fs::read(store.path_of(&sha)).unwrap(), PDF);
}

#[tokio::test]
async fn a_refused_or_oversize_file_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("files"));
    let mut exe = store.create(1024).await.unwrap();
    exe.write(b"MZ\x90\0 a program".to_vec()).await.unwrap();
    assert_eq!(exe.seal().await.unwrap().unwrap_err(), Refusal::UnknownType);
    let mut big = store.create(10).await.unwrap();
    big.write(PDF.to_vec()).await.unwrap();
    assert!(big.is_over());
    assert_eq!(big.seal().await.unwrap().unwrap_err(), Refusal::TooLarge);
    let mut abandoned = store.create(1024).await.unwrap();
    abandoned.write(PDF.to_vec()).await.unwrap();
    drop(abandoned);
    let dropped = store_bytes(&store, PDF).await;
    drop(dropped);
    assert!(listing(store.root()).is_empty(), "{:?}", listing(store.root()));
}
