//! The stable name of each kind of problem.

use serde::Serialize;
use std::fmt;

/// The kind of a problem: a stable name for each, so that a run with thousands of warnings can
/// be summed up by kind, and tools reading `check --format json` can tell kinds apart.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `site.yaml` (or a setting from the environment) is wrong.
    Config,
    /// The theme or one of its templates is missing or unreadable.
    Theme,
    /// A template failed to render.
    Template,
    /// A file could not be read (permissions, encoding, size, symlink loop).
    Unreadable,
    /// Front matter that cannot be read at all.
    FrontMatter,
    /// A front-matter key written twice.
    DuplicateKey,
    /// A front-matter value of the wrong type.
    InvalidValue,
    /// A date that cannot be read.
    InvalidDate,
    /// A page without a title.
    NoTitle,
    /// Two pages that would be written to one URL.
    DuplicateUrl,
    /// A slug, URL or permalink that cannot be a path on the site.
    InvalidUrl,
    /// A folder laid out in a way that has two meanings.
    Layout,
    /// An alias that cannot be a path on the site.
    Alias,
    /// An alias on the URL of a real page, which keeps its page.
    AliasToPage,
    /// An alias claimed by two pages.
    AliasConflict,
    /// A link to a page or file that does not exist.
    BrokenLink,
    /// A link to a heading that does not exist.
    MissingAnchor,
    /// An image that does not exist.
    MissingImage,
    /// Template syntax from another generator, shown as text.
    ForeignTemplate,
    /// A diagram that cannot be drawn.
    Diagram,
    /// A pinned related article that does not exist.
    Related,
    /// An article below the audit's minimum score.
    Audit,
    /// The output folder cannot be written, or is not one stacks may write.
    Output,
    /// The search index could not be built.
    Search,
    /// The build cache could not be saved.
    Cache,
    /// The development server could not start or stopped.
    Server,
    /// `stacks new` or `stacks init` could not create what was asked.
    Scaffold,
}

impl Code {
    /// The stable name, as printed and in JSON (`broken-link`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "config",
            Code::Theme => "theme",
            Code::Template => "template",
            Code::Unreadable => "unreadable",
            Code::FrontMatter => "front-matter",
            Code::DuplicateKey => "duplicate-key",
            Code::InvalidValue => "invalid-value",
            Code::InvalidDate => "invalid-date",
            Code::NoTitle => "no-title",
            Code::DuplicateUrl => "duplicate-url",
            Code::InvalidUrl => "invalid-url",
            Code::Layout => "layout",
            Code::Alias => "alias",
            Code::AliasToPage => "alias-to-page",
            Code::AliasConflict => "alias-conflict",
            Code::BrokenLink => "broken-link",
            Code::MissingAnchor => "missing-anchor",
            Code::MissingImage => "missing-image",
            Code::ForeignTemplate => "foreign-template",
            Code::Diagram => "diagram",
            Code::Related => "related",
            Code::Audit => "audit",
            Code::Output => "output",
            Code::Search => "search",
            Code::Cache => "cache",
            Code::Server => "server",
            Code::Scaffold => "scaffold",
        }
    }

    /// What the kind means, in a few words, for the summary at the end of a run.
    pub fn describe(self) -> &'static str {
        match self {
            Code::Config => "site configuration",
            Code::Theme => "theme files",
            Code::Template => "template errors",
            Code::Unreadable => "unreadable files",
            Code::FrontMatter => "unreadable front matter",
            Code::DuplicateKey => "front-matter keys written twice",
            Code::InvalidValue => "front-matter values of the wrong type",
            Code::InvalidDate => "dates that cannot be read",
            Code::NoTitle => "pages without a title",
            Code::DuplicateUrl => "pages sharing a URL",
            Code::InvalidUrl => "slugs, URLs and permalinks that cannot be used",
            Code::Layout => "ambiguous folders",
            Code::Alias => "aliases that cannot be used",
            Code::AliasToPage => "aliases on the URL of a page",
            Code::AliasConflict => "aliases claimed twice",
            Code::BrokenLink => "links to nothing",
            Code::MissingAnchor => "links to a missing heading",
            Code::MissingImage => "missing images",
            Code::ForeignTemplate => "template syntax from another generator",
            Code::Diagram => "diagrams that cannot be drawn",
            Code::Related => "pinned related articles not found",
            Code::Audit => "articles below the audit minimum",
            Code::Output => "output folder",
            Code::Search => "search index",
            Code::Cache => "build cache",
            Code::Server => "development server",
            Code::Scaffold => "new files",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
