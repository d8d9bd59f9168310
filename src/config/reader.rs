//! The parts of `site.yaml` that shape what a reader is offered around an article: the
//! site-wide call to action, the feedback links, the authors' profiles and the social cards.

use serde::{Deserialize, Serialize};

/// `cta:` — the call to action under every article. An article's own `cta:` replaces it, and
/// `cta: false` in an article's front matter leaves it out.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct CtaConfig {
    /// Button text.
    pub label: String,
    /// Where it leads.
    pub url: String,
    /// An optional sentence above the button.
    pub text: Option<String>,
}

/// `feedback:` — the links at the end of every article. In both patterns `{url}` becomes the
/// article's absolute address, `{path}` its source file (`content/…/x.md`) and `{title}` its
/// title, each encoded for a URL.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FeedbackConfig {
    /// "Was this helpful?" leads here, e.g. a form: `https://example.com/feedback?page={url}`.
    pub helpful_url: Option<String>,
    /// "Suggest a change" leads here, e.g. the source file in the repository's web editor:
    /// `https://github.com/acme/library/edit/main/{path}`.
    pub edit_url: Option<String>,
}

/// One author's profile, listed under `authors:`; each gets a page at `/authors/<slug>/`, and
/// bylines naming them link there.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AuthorProfile {
    /// The name as bylines write it (`author: Maya Okafor`).
    pub name: String,
    /// The last part of the profile's URL; the name, made a URL segment, when unset.
    pub slug: Option<String>,
    /// What they do, in a few words.
    pub role: Option<String>,
    /// A short biography (markdown is not read: plain text).
    pub bio: Option<String>,
    /// A photo: a site path (`/images/maya.jpg`) or a full URL.
    pub photo: Option<String>,
    /// Elsewhere on the web.
    pub links: Vec<ProfileLink>,
}

/// A link on an author's profile.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileLink {
    /// Text.
    pub title: String,
    /// Address.
    pub url: String,
}

/// `social:` — link previews.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SocialConfig {
    /// Draw a card image for every article (`og:image`) at build time. Off unless asked for:
    /// a card costs tens of milliseconds of CPU to draw, minutes for a large library's first
    /// build.
    pub cards: bool,
}

/// Fills a feedback pattern's tokens for one page.
pub(crate) fn fill_pattern(pattern: &str, url: &str, path: &str, title: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    // The path keeps its slashes: it is a path in the repository, not a query value.
    let path: Vec<String> = path.split('/').map(encode).collect();
    pattern
        .replace("{url}", &encode(url))
        .replace("{path}", &path.join("/"))
        .replace("{title}", &encode(title))
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns_fill_each_token_encoded() {
        let out = super::fill_pattern(
            "https://e.com/f?page={url}&t={title} https://git/edit/main/{path}",
            "https://lib.example/a/b/",
            "content/a/my file.md",
            "What & why?",
        );
        assert_eq!(
            out,
            "https://e.com/f?page=https%3A%2F%2Flib%2Eexample%2Fa%2Fb%2F&t=What%20%26%20why%3F https://git/edit/main/content/a/my%20file%2Emd"
        );
    }
}
