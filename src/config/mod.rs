//! `site.yaml`: the site's configuration.
//!
//! Every key but `title` has a default, so a one-line `site.yaml` builds. Unknown keys are errors
//! that name the closest known key, because a misspelt option that is silently ignored costs an
//! author far more time than a failed build.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::yaml;

mod base_url;
mod permalinks;
mod reader;

pub use base_url::BaseUrl;
pub(crate) use permalinks::Permalink;
pub(crate) use reader::fill_pattern;
pub(crate) use reader::{AuthorProfile, CtaConfig, FeedbackConfig, ProfileLink, SocialConfig};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the configuration, at the site root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

/// The environment variable that sets the day a build is as of (`YYYY-MM-DD`), so that a build
/// of the same sources gives the same site whenever it runs.
pub const BUILD_DATE_ENV: &str = "STACKS_BUILD_DATE";

/// The build date: `STACKS_BUILD_DATE` when set, else today in UTC.
pub fn build_date() -> Result<jiff::civil::Date, String> {
    match std::env::var(BUILD_DATE_ENV) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<jiff::civil::Date>().map_err(|e| {
            format!("{BUILD_DATE_ENV}=`{v}` is not a date in the form YYYY-MM-DD: {e}")
        }),
        _ => Ok(jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()),
    }
}

/// The moment a build publishes as of: now, or the end of `STACKS_BUILD_DATE`'s day (an
/// unreadable value is reported by the audit, and counts as now here).
pub(crate) fn build_moment() -> jiff::Timestamp {
    match std::env::var(BUILD_DATE_ENV) {
        Ok(v) if !v.trim().is_empty() => build_date()
            .ok()
            .and_then(|d| {
                d.to_datetime(jiff::civil::Time::MAX)
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .ok()
            })
            .map_or_else(jiff::Timestamp::now, |z| z.timestamp()),
        _ => jiff::Timestamp::now(),
    }
}

/// The whole of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SiteConfig {
    /// The site's name, shown in every page head and header. Required.
    pub title: String,
    /// Where the site will be served from, e.g. `https://example.com/kb/`. A sub-path is honoured
    /// by every link stacks writes.
    pub base_url: String,
    /// One sentence about the site, for the home page and feeds.
    pub description: String,
    /// Language of the content, as a BCP 47 tag (`en`, `en-GB`, `de`).
    pub language: String,
    /// Default author for articles that name none.
    pub author: Option<String>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Front-matter list keys that become browsable indexes (`tags`, `topics`, `authors`, …).
    pub taxonomies: Vec<String>,
    /// URL patterns by content folder, as Hugo's `permalinks:` (`news: /:year/:month/:slug/`).
    pub permalinks: BTreeMap<String, Permalink>,
    /// Front matter given to the pages a target matches, as Hugo's site-wide `cascade:`.
    pub cascade: yaml::Value,
    /// The line of each top-level key in `site.yaml`, for diagnostics about its value.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
    /// Build pages whose publish date is still to come (Hugo's `buildFuture`).
    pub build_future: bool,
    /// Build pages whose expiry date has passed (Hugo's `buildExpired`).
    pub build_expired: bool,
    /// Entries per listing page (taxonomy terms).
    pub paginate_by: usize,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Atom feeds.
    pub feeds: FeedsConfig,
    /// Internal link checking.
    pub links: LinksConfig,
    /// Diagram drawing.
    pub diagrams: DiagramsConfig,
    /// Related reading under each article.
    pub related: RelatedConfig,
    /// Build the offline search index and page.
    pub search: bool,
    /// The content audit.
    pub audit: AuditConfig,
    /// The call to action under every article (an article's own replaces it).
    pub cta: Option<CtaConfig>,
    /// "Was this helpful?" and "Suggest a change" at the end of every article.
    pub feedback: FeedbackConfig,
    /// Authors' profiles, each with its own page.
    pub authors: Vec<AuthorProfile>,
    /// Link previews.
    pub social: SocialConfig,
    /// Free-form values for themes.
    pub extra: BTreeMap<String, yaml::Value>,
}

/// The `markdown:` block of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// Keep raw HTML written in markdown. Authors are trusted by default; set to `false` to
    /// escape it.
    pub unsafe_html: bool,
    /// Read `[[target]]` as a link. Libraries from generators without wiki links (Hugo, Jekyll)
    /// may hold `[[…]]` that means something else, such as a TOML table in a shortcode.
    pub wiki_links: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            unsafe_html: true,
            wiki_links: true,
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: String::new(),
            base_url: "/".into(),
            description: String::new(),
            language: "en".into(),
            author: None,
            theme: "default".into(),
            taxonomies: vec!["tags".into()],
            permalinks: BTreeMap::new(),
            cascade: yaml::Value::Null,
            key_lines: BTreeMap::new(),
            build_future: false,
            build_expired: false,
            paginate_by: 10,
            markdown: MarkdownConfig::default(),
            feeds: FeedsConfig::default(),
            links: LinksConfig::default(),
            diagrams: DiagramsConfig::default(),
            related: RelatedConfig::default(),
            search: true,
            audit: AuditConfig::default(),
            cta: None,
            feedback: FeedbackConfig::default(),
            authors: Vec::new(),
            social: SocialConfig::default(),
            extra: BTreeMap::new(),
        }
    }
}

/// The `feeds:` block of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct FeedsConfig {
    /// Entries per feed, newest first.
    pub limit: usize,
    /// Whole articles in feeds (`true`) or only their summaries (`false`).
    pub full_content: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self {
            limit: 20,
            full_content: true,
        }
    }
}

/// The `links:` block of `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LinksConfig {
    /// Make a link to a missing page or heading an error instead of a warning.
    pub strict: bool,
}

/// The `diagrams:` block of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct DiagramsConfig {
    /// When a diagram cannot be drawn at build time, let that page draw it in the browser.
    pub client_fallback: bool,
    /// The mermaid ES module such pages load.
    pub mermaid_url: String,
}

impl Default for DiagramsConfig {
    fn default() -> Self {
        Self {
            client_fallback: true,
            mermaid_url: "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs".into(),
        }
    }
}

/// The `related:` block of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct RelatedConfig {
    /// Entries in "related in the library".
    pub count: usize,
    /// Entries in "more from this collection".
    pub collection_count: usize,
    /// Weight of text similarity (title, description, answer, headings, body).
    pub content_weight: f32,
    /// Weight of shared tags.
    pub tags_weight: f32,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        Self {
            count: 5,
            collection_count: 5,
            content_weight: 0.7,
            tags_weight: 0.3,
        }
    }
}

/// The `audit:` block of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct AuditConfig {
    /// Audit every article, show the badges and write the `/audit/` page.
    pub enabled: bool,
    /// Ids of checks to leave out of scores and totals.
    pub disable: Vec<String>,
    /// Fewest editorial checks an article may pass; below it `build` and `check` fail.
    pub min_score: usize,
    /// Fewest machine checks an article may pass; below it `build` and `check` fail.
    pub min_machine_score: usize,
    /// Days since `updated` (or `date`) after which an article is no longer fresh.
    pub max_age_days: u32,
    /// The line of each `disable` entry in `site.yaml`, for the audit's report of unknown ids.
    #[serde(skip)]
    pub disable_lines: Vec<usize>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            disable: Vec::new(),
            min_score: 0,
            min_machine_score: 0,
            max_age_days: 365,
            disable_lines: Vec::new(),
        }
    }
}

/// Known keys at each level of `site.yaml`, for suggestions.
fn known_keys(section: &str) -> Vec<&'static str> {
    match section {
        "" => serde_aux::serde_introspection::serde_introspect::<SiteConfig>().to_vec(),
        "markdown" => serde_aux::serde_introspection::serde_introspect::<MarkdownConfig>().to_vec(),
        "feeds" => serde_aux::serde_introspection::serde_introspect::<FeedsConfig>().to_vec(),
        "links" => serde_aux::serde_introspection::serde_introspect::<LinksConfig>().to_vec(),
        "related" => serde_aux::serde_introspection::serde_introspect::<RelatedConfig>().to_vec(),
        "diagrams" => serde_aux::serde_introspection::serde_introspect::<DiagramsConfig>().to_vec(),
        "audit" => serde_aux::serde_introspection::serde_introspect::<AuditConfig>().to_vec(),
        "cta" => serde_aux::serde_introspection::serde_introspect::<CtaConfig>().to_vec(),
        "feedback" => serde_aux::serde_introspection::serde_introspect::<FeedbackConfig>().to_vec(),
        "social" => serde_aux::serde_introspection::serde_introspect::<SocialConfig>().to_vec(),
        _ => Vec::new(),
    }
}

/// Reads `site.yaml` from `root`. Problems are added to `diags`; the returned config is usable
/// (defaults filled in) whenever no error was added.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> SiteConfig {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(Code::Config, format!("cannot read {CONFIG_FILE}: {e}"))
                    .in_file(CONFIG_FILE)
                    .hint(format!(
                        "create {} with at least `title: My library` (or run `stacks init`)",
                        path.display()
                    )),
            );
            return SiteConfig::default();
        }
    };
    parse(&text, diags)
}

/// Parses the text of `site.yaml`, reporting every problem into `diags`.
pub fn parse(text: &str, diags: &mut Diagnostics) -> SiteConfig {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (config, unknown) = match yaml::from_str_with_unknown::<SiteConfig>(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Code::Config,
                    format!("invalid {CONFIG_FILE}: {}", e.message),
                )
                .in_file(CONFIG_FILE)
                .at_opt(e.line.zip(e.col))
                .hint("check the indentation (spaces, not tabs) and the value's type"),
            );
            return SiteConfig::default();
        }
    };
    for path in unknown {
        let (parent, key) = path.rsplit_once('.').unwrap_or(("", &path));
        if parent == "extra" || parent.starts_with("extra.") {
            continue;
        }
        let segments: Vec<&str> = path.split('.').collect();
        let line = yaml::path_line(text, &segments);
        let mut d = Diagnostic::error(
            Code::Config,
            format!("unknown key `{path}` in {CONFIG_FILE}"),
        )
        .in_file(CONFIG_FILE)
        .at_opt(line.map(|l| (l, 1)));
        d = match closest(key, known_keys(parent)) {
            Some(k) => d.hint(format!("did you mean `{k}`?")),
            None => d.hint("remove it, or put theme settings under `extra:`"),
        };
        diags.push(d);
    }
    if config.title.trim().is_empty() {
        diags.push(
            Diagnostic::error(Code::Config, format!("{CONFIG_FILE} has no `title`"))
                .in_file(CONFIG_FILE)
                .at(1, 1)
                .hint("add a line such as `title: Acme Revenue Library`"),
        );
    }
    if let Err(e) = BaseUrl::parse(&config.base_url) {
        diags.push(
            Diagnostic::error(Code::Config, format!("invalid base_url: {e}"))
                .in_file(CONFIG_FILE)
                .at_opt(yaml::key_line(text, "base_url").map(|l| (l, 1)))
                .hint("use a full URL such as `https://example.com/kb/`, or a path such as `/kb/`"),
        );
    }
    let mut config = config;
    config.key_lines = yaml::key_lines(text).into_iter().collect();
    for (key, value) in &config.permalinks {
        if let Permalink::ByKind(_) = value
            && key != "page"
        {
            diags.push(
                Diagnostic::error(Code::Config, format!("`permalinks.{key}` is not supported"))
                    .in_file(CONFIG_FILE)
                    .at_opt(yaml::key_line(text, "permalinks").map(|l| (l, 1)))
                    .hint("write patterns as `folder: /pattern/`, or under `page:`; sections and taxonomies keep their folder's URL"),
            );
        }
    }
    if config.paginate_by == 0 {
        diags.push(
            Diagnostic::error(Code::Config, "paginate_by must be at least 1")
                .in_file(CONFIG_FILE)
                .at_opt(yaml::key_line(text, "paginate_by").map(|l| (l, 1))),
        );
    }
    config.audit.disable_lines = yaml::item_lines(text, &["audit", "disable"]);
    config
}

impl SiteConfig {
    /// The site's base URL, or `over` it when given (`--base-url`, or `serve`'s own address).
    /// An invalid override is an error here (an invalid `base_url` was reported when
    /// `site.yaml` was read); a base without a host is a warning, as feeds and canonical links
    /// then hold paths only.
    pub fn base_url_with(&mut self, over: Option<&str>, diags: &mut Diagnostics) -> BaseUrl {
        if let Some(url) = over {
            self.base_url = url.to_string();
            if let Err(e) = BaseUrl::parse(url) {
                diags.push(
                    Diagnostic::error(Code::Config, format!("invalid --base-url: {e}"))
                        .hint("use a URL such as https://example.com/kb/"),
                );
            }
        }
        let base = self.base();
        // No warning on top of an error: when site.yaml could not be read (no keys) or its
        // base_url is invalid, that error already says what to fix.
        let judged = !self.key_lines.is_empty() && BaseUrl::parse(&self.base_url).is_ok();
        if judged && base.origin.is_empty() {
            diags.push(
                Diagnostic::warning(Code::Config, "base_url has no host, so feeds, the sitemap and canonical links hold site paths, not absolute URLs")
                    .in_file(CONFIG_FILE)
                    .at(self.line_of("base_url"), 1)
                    .hint("set base_url to where the site will live, e.g. https://example.com/"),
            );
        }
        base
    }

    /// The 1-based line of top-level `key` in `site.yaml` (1 when it is not written there).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }

    /// The parsed base URL; `/` when `base_url` is invalid (that was reported when loading).
    pub fn base(&self) -> BaseUrl {
        BaseUrl::parse(&self.base_url).unwrap_or(BaseUrl {
            origin: String::new(),
            path: "/".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_alone_is_enough() {
        let mut d = Diagnostics::new();
        let c = parse("title: Library\n", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.taxonomies, vec!["tags"]);
        assert_eq!(c.base().path, "/");
    }

    #[test]
    fn unknown_keys_name_the_closest_known_one() {
        let mut d = Diagnostics::new();
        parse(
            "title: L\nbaseurl: /x/\nmarkdown:\n  unsafe_htm: false\n",
            &mut d,
        );
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("site.yaml:2:1") && msgs[0].contains("`base_url`"));
        assert!(msgs[1].contains("site.yaml:4:1") && msgs[1].contains("`unsafe_html`"));
    }

    #[test]
    fn audit_defaults_and_the_lines_of_disabled_ids() {
        let mut d = Diagnostics::new();
        let c = parse("title: L\n", &mut d);
        assert!(c.audit.enabled && c.audit.disable.is_empty());
        assert_eq!(c.audit.max_age_days, 365);
        let c = parse(
            "title: L titel-length\naudit:\n  min_score: 12\n  disable: [fresh, titel-length]\n",
            &mut d,
        );
        assert_eq!(c.audit.min_score, 12);
        assert!(d.is_empty(), "check ids are the audit's to judge: {d:?}");
        assert_eq!(c.audit.disable_lines, [4, 4]);
        let mut d = Diagnostics::new();
        parse("title: L\naudit:\n  min_scor: 3\n", &mut d);
        assert!(d.iter().any(|d| d.to_string().contains("`min_score`")));
    }

    #[test]
    fn unknown_nested_keys_point_at_their_own_line() {
        let mut d = Diagnostics::new();
        parse(
            "title: limit\nfeeds:\n  limit: 3\nrelated:\n  limt: 4\n",
            &mut d,
        );
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].starts_with("site.yaml:5:1: error: unknown key `related.limt`"),
            "{msgs:?}"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        let mut d = Diagnostics::new();
        parse("description: x\n", &mut d);
        assert!(d.has_errors());
    }

    #[test]
    fn base_url_keeps_sub_path() {
        let b = BaseUrl::parse("https://example.com/kb").unwrap();
        assert_eq!(b.origin, "https://example.com");
        assert_eq!(b.path_to("a/b/"), "/kb/a/b/");
        assert_eq!(b.absolute("/"), "https://example.com/kb/");
        assert_eq!(BaseUrl::parse("").unwrap().path, "/");
    }
}
