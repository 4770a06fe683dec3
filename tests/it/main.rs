//! The integration tests, in one binary: one module per area, and the
//! helpers they share in [`support`]. One binary links talkbook (with
//! tantivy, axum and syntect) once instead of once per test file.
//!
//! Run one area with `cargo test --test it <module>::`, e.g.
//! `cargo test --test it serve_http::`.

mod support;

mod build_errors;
mod build_site;
mod check;
mod cli;
mod cli_search;
mod collections;
mod content_walk;
mod diagrams;
mod fuzz_sites;
mod import;
mod import_pyvideo;
mod import_report;
mod inert_links;
mod inference;
mod input_errors;
mod links;
mod output_safety;
mod pagination;
mod preview_browser;
mod profiles;
mod render_each;
mod sample_site;
mod search_browser;
mod search_index_files;
mod search_manifest;
mod search_parity;
mod search_sample;
mod search_saved;
mod serve;
mod serve_browser;
mod serve_cli;
mod serve_http;
mod serve_search;
mod serve_trust;
mod template_errors;
mod theme_browser;
mod theme_pages;
