//! The browser bundle (WebAssembly, JavaScript, CSS), served compressed.
//!
//! The release WebAssembly is about 2.5 MB; with brotli it is about 630 KB: on a slow phone
//! connection, the difference between a page that comes alive in seconds and one that takes a
//! quarter of a minute, for someone who may come here on a hard day. Compressing it per request
//! would cost seconds of CPU each time, so the server writes `.br` and `.gz` copies next to the
//! files once, in the background after it starts, and `ServeDir` hands them to browsers that
//! accept them; others get the file as is.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use http::{header, HeaderValue};
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

/// Kinds of file worth compressing (the rest of the bundle is tiny or already compressed).
const COMPRESSIBLE: [&str; 4] = ["wasm", "js", "css", "svg"];

/// Suffix of a copy being written (followed by the writer's process id).
const PARTIAL: &str = "partial";

/// The compressed copies, by their file name suffix.
const ENCODINGS: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn suffix(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gz",
        }
    }
}

/// How hard to compress: the smallest files for a release build (a few seconds, once per
/// build), quick for a development build, which is rebuilt all the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Smallest,
    Quick,
}

/// Where the bundle is: `<site root>/<pkg dir>`.
pub fn bundle_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

/// The bundle's files, with the two headers below.
pub type BundleService = SetResponseHeader<SetResponseHeader<ServeDir, HeaderValue>, HeaderValue>;

/// Serves the bundle directory, preferring a compressed copy the browser accepts.
///
/// `Vary: Accept-Encoding` keeps a shared cache from handing a brotli copy to a browser that
/// can't read it. The bundle's file names stay the same from one build to the next, so
/// browsers are told to check back each time (`no-cache`: an unchanged file costs a 304): a
/// page from a new build must never hydrate with an old build's WebAssembly.
pub fn bundle_service(dir: &Path) -> BundleService {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let files =
        SetResponseHeader::overriding(files, header::VARY, HeaderValue::from_static("accept-encoding"));
    SetResponseHeader::overriding(files, header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}

/// Makes the compressed copies current, returning at once: copies older than their file (left
/// by an earlier build) are removed before this returns, so they are never served; the fresh
/// ones are written on a blocking thread and appear when each is complete. Failures (say, a
/// read-only directory) are logged and leave the files served uncompressed.
pub fn precompress_in_background(dir: PathBuf, effort: Effort) {
    if let Err(e) = remove_stale_copies(&dir) {
        tracing::warn!(error = %e, dir = %dir.display(), "could not remove old compressed copies");
    }
    tokio::task::spawn_blocking(move || match precompress(&dir, effort) {
        Ok(written) if written > 0 => {
            tracing::info!(written, "compressed copies of the browser bundle written")
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, dir = %dir.display(), "the browser bundle is served uncompressed")
        }
    });
}

/// Removes every compressed copy that is older than its file, or whose file is gone, and any
/// copy left half-written by a server that stopped while writing it.
pub fn remove_stale_copies(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let copy = entry?.path();
        if copy.extension().and_then(OsStr::to_str).is_some_and(|ext| ext.starts_with(PARTIAL)) {
            fs::remove_file(&copy)?;
            continue;
        }
        let is_copy = ENCODINGS.iter().any(|e| copy.extension() == Some(OsStr::new(e.suffix())));
        if !is_copy {
            continue;
        }
        let original = copy.with_extension("");
        let current = matches!((modified(&original), modified(&copy)), (Some(o), Some(c)) if c >= o);
        if !current {
            fs::remove_file(&copy)?;
        }
    }
    Ok(())
}

/// Writes the missing compressed copies of the compressible files in `dir`; returns how many.
/// Blocking (a release WebAssembly takes a few seconds at `Effort::Smallest`).
pub fn precompress(dir: &Path, effort: Effort) -> io::Result<usize> {
    let mut written = 0;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible =
            path.extension().and_then(OsStr::to_str).is_some_and(|ext| COMPRESSIBLE.contains(&ext));
        if !compressible || !path.is_file() {
            continue;
        }
        for encoding in ENCODINGS {
            let copy = path_with_suffix(&path, encoding.suffix());
            if !copy.exists() {
                write_copy(&path, &copy, encoding, effort)?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// Compresses `original` into a temporary file, then renames it into place, so a half-written
/// copy is never served (and two servers sharing the directory don't trip over each other).
fn write_copy(original: &Path, copy: &Path, encoding: Encoding, effort: Effort) -> io::Result<()> {
    let bytes = fs::read(original)?;
    let temp = path_with_suffix(copy, &format!("{PARTIAL}{}", std::process::id()));
    let mut out = BufWriter::new(File::create(&temp)?);
    match encoding {
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: if effort == Effort::Smallest { 11 } else { 5 },
                ..Default::default()
            };
            brotli::BrotliCompress(&mut bytes.as_slice(), &mut out, &params)?;
        }
        Encoding::Gzip => {
            let level = if effort == Effort::Smallest { 9 } else { 4 };
            let mut writer = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(level));
            writer.write_all(&bytes)?;
            writer.finish()?;
        }
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
    // A copy made from a file that changed meanwhile (a rebuild) must not look current.
    if modified(original).is_some_and(|m| modified(&temp).is_some_and(|t| t < m)) {
        fs::remove_file(&temp)?;
        return Ok(());
    }
    fs::rename(&temp, copy)
}

fn path_with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}
