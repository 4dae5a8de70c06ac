//! Static files compiled into the binary (the console's, the app's), served with a Content
//! Security Policy that allows only this origin's own scripts, styles and API: no inline script
//! or style, no other host.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

/// Each file's path under `$dir/`, with its content type, compiled in: `(path, type, bytes)`.
macro_rules! embedded {
    ($dir:literal: $($path:literal => $content_type:expr),+ $(,)?) => {
        &[$(($path, $content_type, include_bytes!(concat!("../../", $dir, "/", $path)).as_slice())),+]
    };
}
pub(crate) use embedded;

/// `(path under the folder, content type, bytes)`.
pub type Files = [(&'static str, &'static str, &'static [u8])];

pub const JS: &str = "text/javascript; charset=utf-8";
pub const HTML: &str = "text/html; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const PNG: &str = "image/png";
pub const TEXT: &str = "text/plain; charset=utf-8";
pub const MANIFEST: &str = "application/manifest+json";

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; \
     worker-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The file at `path` among `files`, or a 404 that says so. Each file carries an `ETag` (its
/// content's hash), so that a browser asking again with it gets `304 Not Modified` and no body.
pub fn serve(req: &HttpRequest, files: &Files, path: &str) -> HttpResponse {
    let Some((_, content_type, body)) = files.iter().find(|(p, _, _)| *p == path) else {
        return crate::error::problem_response(
            actix_web::http::StatusCode::NOT_FOUND,
            "No such page.",
        );
    };
    let tag = etag(body);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut answer = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    answer
        .insert_header((header::CONTENT_TYPE, *content_type))
        .insert_header((header::ETAG, tag))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if *content_type == PNG {
        // Already compressed: the compression middleware leaves it as it is.
        answer.insert_header((header::CONTENT_ENCODING, "identity"));
    }
    if unchanged {
        answer.finish()
    } else {
        answer.body(*body)
    }
}

/// A strong entity tag for `body`: the start of its SHA-256, quoted.
fn etag(body: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    let hex: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Every file in `dir` (relative to the crate), as paths under it: to check that each is served.
#[cfg(test)]
pub fn files_on_disk(dir: &str) -> Vec<String> {
    fn walk(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        "",
        &mut out,
    );
    out.sort();
    out
}

/// The paths `files` serves, sorted.
#[cfg(test)]
pub fn served(files: &Files) -> Vec<String> {
    let mut out: Vec<String> = files.iter().map(|(p, _, _)| p.to_string()).collect();
    out.sort();
    out
}
