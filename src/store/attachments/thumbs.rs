//! Thumbnails of the image attachments, for the case page: made on first
//! request from the stored file, at most [`EDGE`] pixels a side, as JPEG,
//! and kept under `files_dir/thumbs/` (named by the image's SHA-256, so one
//! image uploaded to several cases has one thumbnail). A thumbnail is a
//! cache: it is never backed up or checked, and is made again if deleted.

use std::io::Write;
use std::path::PathBuf;

use image::{ImageReader, Limits};

use super::files::{FileStore, PART_PREFIX};

/// The longest side of a thumbnail, in pixels (twice the 160 px the page
/// draws, for sharp screens).
pub const EDGE: u32 = 320;

/// The most memory a decoded image may take: a 25 MB upload could unpack
/// to gigabytes (a "decompression bomb"); such an image gets no thumbnail.
const DECODE_LIMIT: u64 = 256 * 1024 * 1024;

/// The thumbnail of the image stored under `sha256`, made now if it is not
/// yet kept. `Ok(None)` when the image cannot be drawn (damaged, or too big
/// to decode safely): the page then shows the image itself.
pub fn thumbnail(store: &FileStore, sha256: &str) -> std::io::Result<Option<PathBuf>> {
    let dir = store.root().join("thumbs");
    let path = dir.join(format!("{sha256}.jpg"));
    if path.exists() {
        return Ok(Some(path));
    }
    let Some(jpeg) = draw(store, sha256)? else {
        return Ok(None);
    };
    std::fs::create_dir_all(&dir)?;
    // Written whole under a temporary name, then renamed: a reader never
    // sees half a thumbnail, and two requests at once both end well.
    let temp = dir.join(format!("{PART_PREFIX}{sha256}-{}", std::process::id()));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(&jpeg)?;
    drop(file);
    std::fs::rename(&temp, &path)?;
    Ok(Some(path))
}

/// The image scaled to fit [`EDGE`], as JPEG bytes.
fn draw(store: &FileStore, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(DECODE_LIMIT);
    let mut reader = ImageReader::open(store.path_of(sha256))?.with_guessed_format()?;
    reader.limits(limits);
    let Ok(image) = reader.decode() else {
        return Ok(None);
    };
    // A small image is kept at its size, never enlarged.
    let small = if image.width() <= EDGE && image.height() <= EDGE {
        image.into_rgb8()
    } else {
        image.thumbnail(EDGE, EDGE).into_rgb8()
    };
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
    if small.write_with_encoder(encoder).is_err() {
        return Ok(None);
    }
    Ok(Some(jpeg))
}
