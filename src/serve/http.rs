//! The HTTP side of `serve`: pages from memory, the reload event stream, and nothing else.
//!
//! Only paths the build produced can be served — there is no file-system lookup by request
//! path — so `..`, encoded dots and absolute paths cannot reach a file outside the site; they
//! are refused before lookup anyway, to say so plainly.

use super::overlay::{EVENTS_PATH, inject};
use super::{Live, Snapshot};
use crate::output::{Content, Output};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The server's routes.
pub(super) fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(page))
        .with_state(live)
}

async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = live.reload.subscribe();
    let stream = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok((name, v)) => {
                    return Some((Ok(Event::default().event(name).data(&*v)), rx));
                }
                // A slow client missed some versions: one reload covers them all.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Maps a request path to a site path, or `None` when it tries to leave the site.
fn site_path(uri: &Uri) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s == ".") || rel.starts_with('/') {
        return None;
    }
    Some(rel.to_string())
}

async fn page(State(live): State<Arc<Live>>, uri: Uri) -> Response {
    let Some(rel) = site_path(&uri) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let snap = live.current();
    let lookup = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(out) = snap.files.get(&lookup) {
        return respond(&snap, out, StatusCode::OK).await;
    }
    if let Some(out) = live.search_file(&lookup) {
        return respond(&snap, &out, StatusCode::OK).await;
    }
    if snap.files.contains_key(&format!("{rel}/index.html")) {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/{rel}/"))],
        )
            .into_response();
    }
    match snap.files.get("404.html") {
        Some(out) => respond(&snap, out, StatusCode::NOT_FOUND).await,
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn respond(snap: &Snapshot, out: &Output, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(&out.path).first_or_octet_stream();
    let bytes: Vec<u8> = match &out.content {
        Content::Bytes(b) => b.clone(),
        Content::Static(b) => b.to_vec(),
        Content::Copy(p) => match tokio::fs::read(p).await {
            Ok(b) => b,
            Err(_) => {
                return (
                    StatusCode::NOT_FOUND,
                    "file vanished; it will be back after the rebuild",
                )
                    .into_response();
            }
        },
    };
    let body = if out.is_page() {
        Body::from(inject(&String::from_utf8_lossy(&bytes), &snap.errors))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                mime.essence_str().to_string() + if out.is_page() { "; charset=utf-8" } else { "" },
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::site_path;

    #[test]
    fn paths_cannot_leave_the_site() {
        let p = |s: &str| site_path(&s.parse().unwrap());
        assert_eq!(p("/a/b/").as_deref(), Some("a/b/"));
        assert_eq!(p("/").as_deref(), Some(""));
        // Leading slashes only ever name a path inside the site.
        assert_eq!(p("//etc/passwd").as_deref(), Some("etc/passwd"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a%5c..%5cb",
            "/a/./b",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
