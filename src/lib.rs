//! talkbook: turns a folder of conference talk notes into a cross-linked site.
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod entity;
pub mod highlight;
pub mod markdown;
pub mod urls;
