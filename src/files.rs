//! The site in memory, as every stage that makes files hands it on: the
//! renderer, the static files, the search export, `serve` and `output`.

use std::collections::BTreeMap;

/// The site in memory: output path (`talks/x/index.html`) → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;
