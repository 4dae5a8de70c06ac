//! Static files compiled into the binary (the console's, the app's), served with a Content
//! Security Policy that allows only this origin's own scripts, styles and API: no inline script
//! or style, no other host.

use actix_web::http::header;
use actix_web::HttpResponse;

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
pub const MANIFEST: &str = "application/manifest+json";

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; \
     worker-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The file at `path` among `files`, or a 404 that says so.
pub fn serve(files: &Files, path: &str) -> HttpResponse {
    let Some((_, content_type, body)) = files.iter().find(|(p, _, _)| *p == path) else {
        return crate::error::problem_response(
            actix_web::http::StatusCode::NOT_FOUND,
            "No such page.",
        );
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(*body)
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
