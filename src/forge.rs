//! The git forges talkbook knows, and how to tell one from a repository URL.
//! Both `[edit]` checks in `config` and the links of `edit_link` read them.

use serde::{Deserialize, Serialize};

/// The URL shapes of the git forges we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    /// github.com and GitHub Enterprise.
    Github,
    /// gitlab.com and self-hosted GitLab.
    Gitlab,
    /// Gitea, Forgejo and Codeberg.
    Gitea,
}

/// The forge a repository URL's host tells, if it does.
pub fn detect(repository: &str) -> Option<Forge> {
    let host = repository
        .split("://")
        .nth(1)?
        .split('/')
        .next()?
        .to_ascii_lowercase();
    if host.contains("github") {
        Some(Forge::Github)
    } else if host.contains("gitlab") {
        Some(Forge::Gitlab)
    } else if host.contains("codeberg") || host.contains("gitea") || host.contains("forgejo") {
        Some(Forge::Gitea)
    } else {
        None
    }
}
