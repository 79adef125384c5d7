//! What travels compressed: the browser bundle (from copies made once, never stale ones), and
//! pages and server-function answers (on the fly); never live-update streams.
#![expect(clippy::unwrap_used, reason = "test set-up fails loudly")]

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use app::state::WebConfig;
use common::{spawn, spawn_serving};
use leptos::prelude::LeptosOptions;
use reqwest::{header, Client, StatusCode};
use server::assets::{self, Effort};
use server::db::DbHealth;
use sqlx::PgPool;

/// A site root of the test's own, with a bundle directory `pkg` holding `files`.
fn site_with(files: &[(&str, &[u8])]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("upstand-assets-{}", rand::random::<u64>()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    for (name, bytes) in files {
        std::fs::write(root.join("pkg").join(name), bytes).unwrap();
    }
    root
}

fn options(root: &Path) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("upstand")
        .site_root(root.to_str().unwrap())
        .site_pkg_dir("pkg")
        .build()
}

/// Something the size and texture of a bundle: repetitive, so it compresses well.
fn bundle_bytes(label: &str) -> Vec<u8> {
    (0..20_000).flat_map(|i| format!("{label} function_{i}(){{return {i};}}\n").into_bytes()).collect()
}

fn unbrotli(packed: &[u8]) -> Vec<u8> {
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(packed, 4096).read_to_end(&mut unpacked).unwrap();
    unpacked
}

fn ungzip(packed: &[u8]) -> Vec<u8> {
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(packed).read_to_end(&mut unpacked).unwrap();
    unpacked
}

async fn fetch(base: &str, path: &str, accept: &str) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let res = Client::new()
        .get(format!("{base}{path}"))
        .header(header::ACCEPT_ENCODING, accept)
        .send()
        .await
        .unwrap();
    (res.status(), res.headers().clone(), res.bytes().await.unwrap().to_vec())
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_bundle_is_served_compressed_to_browsers_that_accept_it(pool: PgPool) {
    let wasm = bundle_bytes("wasm");
    let root = site_with(&[("upstand.wasm", &wasm), ("upstand.js", b"export const a = 1;\n")]);
    let written = assets::precompress(&root.join("pkg"), Effort::Quick).unwrap();
    assert_eq!(written, 4, "a brotli and a gzip copy of each file");
    let app = spawn_serving(pool, DbHealth::up(), WebConfig::default(), options(&root)).await;

    let (status, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert!(headers[header::VARY].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "browsers check for a new build each time");
    assert!(body.len() * 10 < wasm.len(), "brotli copy is {} bytes of {}", body.len(), wasm.len());
    assert_eq!(unbrotli(&body), wasm);

    let (_, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "gzip").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(ungzip(&body), wasm);

    let (_, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "identity").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, wasm);

    // Security headers reach the bundle too.
    assert_eq!(headers["x-content-type-options"], "nosniff");
    std::fs::remove_dir_all(root).unwrap();
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_new_build_is_never_served_from_an_old_compressed_copy(pool: PgPool) {
    let old = bundle_bytes("old");
    let root = site_with(&[("upstand.wasm", &old)]);
    let pkg = root.join("pkg");
    assets::precompress(&pkg, Effort::Quick).unwrap();
    let app = spawn_serving(pool, DbHealth::up(), WebConfig::default(), options(&root)).await;

    // A rebuild replaces the file; its copies are now older than it.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let new = bundle_bytes("new");
    std::fs::write(pkg.join("upstand.wasm"), &new).unwrap();
    assets::remove_stale_copies(&pkg).unwrap();
    assert!(!pkg.join("upstand.wasm.br").exists() && !pkg.join("upstand.wasm.gz").exists());
    // Until new copies exist, the new file is served (compressed on the fly, like a page).
    let (_, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "identity").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, new);
    let (_, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "gzip").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(ungzip(&body), new);

    // Fresh copies of the new file are written and served; a half-written one left behind by a
    // server that stopped is cleared.
    assert_eq!(assets::precompress(&pkg, Effort::Quick).unwrap(), 2);
    std::fs::write(pkg.join("upstand.wasm.br.partial123"), b"half").unwrap();
    assets::remove_stale_copies(&pkg).unwrap();
    assert!(!pkg.join("upstand.wasm.br.partial123").exists());
    let (_, headers, body) = fetch(&app.base, "/pkg/upstand.wasm", "br").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(unbrotli(&body), new);
    std::fs::remove_dir_all(root).unwrap();
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pages_travel_compressed_but_live_streams_do_not(pool: PgPool) {
    let app = spawn(pool).await;
    let (status, headers, packed) = fetch(&app.base, "/login", "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let html = String::from_utf8(unbrotli(&packed)).unwrap();
    assert!(html.contains("Sign in") && html.contains("</html>"), "the whole page");
    assert!(packed.len() * 2 < html.len(), "{} bytes for {}", packed.len(), html.len());
    assert!(headers.get("content-security-policy").is_some(), "headers are kept");

    let (_, headers, packed) = fetch(&app.base, "/login", "gzip").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert!(String::from_utf8(ungzip(&packed)).unwrap().contains("Sign in"));
    let (_, headers, plain) = fetch(&app.base, "/login", "identity").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert!(String::from_utf8(plain).unwrap().contains("Sign in"));

    // A live-update stream never ends, so compressing it would hold its events back.
    let member = app.register("Sam", "sam@example.org").await;
    let stream = member
        .get(format!("{}/live/events", app.base))
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    assert!(stream.headers().get(header::CONTENT_ENCODING).is_none());
}
