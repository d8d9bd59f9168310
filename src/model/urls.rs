//! Where each page goes: path segments as Hugo makes them, permalink patterns, `url:` and
//! `permalink:` in front matter, and the claims that keep two outputs off one URL.
//!
//! A library moving over keeps its URLs only if stacks builds them the way its generator did,
//! so segments follow Hugo's rules (lower case, spaces to `-`, letters of any script, digits and
//! `._~+@-` kept, other punctuation dropped), and patterns take Hugo's tokens with Jekyll's
//! spellings beside them.

use crate::parse::dates::Date;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A path segment (or any text) as it appears in a URL: Hugo's `urlize` without the escaping.
pub fn urlize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '~' | '+' | '@') {
            out.extend(c.to_lowercase());
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '.') {
        "untitled".into()
    } else {
        trimmed.to_string()
    }
}

/// Every segment of a `/`-separated path through [`urlize`], each followed by `/`
/// (`Sales Ops/Q&A` → `sales-ops/qa/`).
pub(crate) fn urlize_path(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", urlize(s)))
        .collect()
}

/// What a page's URL can be built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Naming<'a> {
    /// Its folder in the content tree, relative to `content/` (`""` at the top).
    pub dir: &'a str,
    /// Its file name without `.md`, or for a bundle its folder's name.
    pub name: &'a str,
    /// `name` without a leading `YYYY-MM-DD-` date.
    pub undated: &'a str,
    /// The title.
    pub title: &'a str,
    /// `slug:` from front matter.
    pub slug: Option<&'a str>,
    /// Its date (front matter, else the file name).
    pub date: Option<&'a Date>,
    /// Its categories, for Jekyll's `:categories`.
    pub categories: &'a [String],
}

/// The default path of an article: its folders, then its slug or (undated) file name, as a
/// folder (`revops/pipeline/win-rate/`). A slug with `/` in it makes folders, as in Hugo.
pub(crate) fn default_path(n: &Naming) -> String {
    let last = match n.slug {
        Some(slug) => urlize_path(slug),
        None => format!("{}/", urlize(n.undated)),
    };
    format!("{}{last}", urlize_path(n.dir))
}

/// The tokens a pattern may use, for the error that names an unknown one.
pub(crate) const TOKENS: &str = ":year :month :monthname :day :weekday :weekdayname :yearday :hour :minute :second :i_month :i_day :short_year :title :slug :filename :slugorfilename :contentbasename :slugorcontentbasename :section :sections :sections[a:b] :categories :output_ext, and Jekyll's :name :basename :path";

/// Expands a permalink pattern (`/:year/:month/:slug/`) for a page. The result is a path
/// relative to the site root, lower case as Hugo writes it; `Err` names what is wrong.
pub(crate) fn expand(pattern: &str, n: &Naming) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find([':', '\\']) {
        out.push_str(&rest[..i]);
        if let Some(after) = rest[i..].strip_prefix("\\:") {
            out.push(':');
            rest = after;
            continue;
        }
        if rest[i..].starts_with('\\') {
            out.push('\\');
            rest = &rest[i + 1..];
            continue;
        }
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        rest = &after[len..];
        let mut slice = None;
        if token == "sections" && rest.starts_with('[') {
            let close = rest.find(']').ok_or("`:sections[` is never closed")?;
            slice = Some(&rest[1..close]);
            rest = &rest[close + 1..];
        }
        match token {
            "" => out.push(':'),
            _ => out.push_str(&token_value(token, slice, n)?),
        }
    }
    out.push_str(rest);
    // An empty token (no categories, say) leaves no empty folder behind, as in Jekyll.
    let mut path = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '/' && path.ends_with('/')) {
            path.push(c);
        }
    }
    Ok(path.to_lowercase())
}

/// What `:token` (with `slice` for `:sections[…]`) stands for on the page `n` names.
fn token_value(token: &str, slice: Option<&str>, n: &Naming) -> Result<String, String> {
    if let Some(value) = date_token(token, n)? {
        return Ok(value);
    }
    Ok(match token {
        "title" => urlize(n.title),
        "slug" => n.slug.map_or_else(|| urlize(n.title), urlize_slug),
        "filename" => urlize(n.undated),
        "slugorfilename" => n.slug.map_or_else(|| urlize(n.undated), urlize_slug),
        // Jekyll's `:name` and `:basename` are the file's name, date included.
        "contentbasename" | "name" | "basename" => urlize(n.name),
        "slugorcontentbasename" => n.slug.map_or_else(|| urlize(n.name), urlize_slug),
        "section" => n.dir.split('/').next().map(urlize).unwrap_or_default(),
        "sections" => sections(n.dir, slice)?,
        // Jekyll's `:path`: the folders of a page's file.
        "path" => sections(n.dir, None)?,
        "categories" => n
            .categories
            .iter()
            .map(|c| urlize(c))
            .collect::<Vec<_>>()
            .join("/"),
        "output_ext" => ".html".into(),
        other => return Err(format!("unknown permalink token `:{other}`")),
    })
}

/// The value of a date token; `None` when `token` is not one.
fn date_token(token: &str, n: &Naming) -> Result<Option<String>, String> {
    const DATE_TOKENS: [&str; 13] = [
        "year",
        "month",
        "monthname",
        "day",
        "weekday",
        "weekdayname",
        "yearday",
        "hour",
        "minute",
        "second",
        "i_month",
        "i_day",
        "short_year",
    ];
    if !DATE_TOKENS.contains(&token) {
        return Ok(None);
    }
    let d = n
        .date
        .map(|d| d.local)
        .ok_or_else(|| format!("the permalink uses `:{token}` but the page has no date"))?;
    Ok(Some(match token {
        "year" => d.year().to_string(),
        "month" => format!("{:02}", d.month()),
        "monthname" => d.strftime("%B").to_string(),
        "day" => format!("{:02}", d.day()),
        "weekday" => d.weekday().to_sunday_zero_offset().to_string(),
        "weekdayname" => d.strftime("%A").to_string(),
        "yearday" => d.day_of_year().to_string(),
        "hour" => format!("{:02}", d.hour()),
        "minute" => format!("{:02}", d.minute()),
        "second" => format!("{:02}", d.second()),
        "i_month" => d.month().to_string(),
        "i_day" => d.day().to_string(),
        _ => format!("{:02}", d.year() % 100),
    }))
}

fn urlize_slug(slug: &str) -> String {
    urlize_path(slug).trim_end_matches('/').to_string()
}

/// Whether `pattern` can be expanded for a page that has everything (a date, a slug): an
/// unknown token or a bad slice is a mistake in the pattern, not in any page.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    let date = crate::parse::dates::parse("2000-01-01").map_err(|e| e.to_string())?;
    let n = Naming {
        dir: "a/b/c",
        name: "name",
        undated: "name",
        title: "Title",
        slug: None,
        date: Some(&date),
        categories: &[],
    };
    expand(pattern, &n).map(|_| ())
}

/// `:sections`, or a slice of it as Hugo writes them: `[1:]`, `[:2]`, `[last]`, `[0]`.
fn sections(dir: &str, slice: Option<&str>) -> Result<String, String> {
    let all: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(urlize)
        .collect();
    let Some(slice) = slice else {
        return Ok(all.join("/"));
    };
    let index = |s: &str| -> Result<usize, String> {
        match s.trim() {
            "last" => Ok(all.len().saturating_sub(1)),
            n => n
                .parse()
                .map_err(|_| format!("`:sections[{slice}]` is not a slice")),
        }
    };
    let (from, to) = match slice.split_once(':') {
        Some((a, b)) => (
            if a.trim().is_empty() { 0 } else { index(a)? },
            if b.trim().is_empty() {
                all.len()
            } else {
                index(b)? + usize::from(b.trim() == "last")
            },
        ),
        None => {
            let i = index(slice)?;
            (i, i + 1)
        }
    };
    let to = to.min(all.len());
    Ok(all.get(from.min(to)..to).unwrap_or_default().join("/"))
}

/// A path written by the author (`url:`, `permalink:`, a pattern's result) as a path relative
/// to the site root: a folder (`about/`) unless its last segment has an extension
/// (`old/page.html`). `Err` says why it cannot be a path on this site.
pub(crate) fn site_path(written: &str) -> Result<String, &'static str> {
    let p = written.trim();
    if p.contains("://") || p.starts_with("//") {
        return Err("it is a full URL; write the path on this site, such as /about/");
    }
    if p.contains(['\\', '?', '#']) || p.as_bytes().get(1) == Some(&b':') {
        return Err("a path may not hold `\\`, `?`, `#` or a drive letter");
    }
    let segments: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err("a path may not contain `..` or `.`");
    }
    let joined = segments.join("/");
    if joined.is_empty() {
        return Ok(String::new());
    }
    let is_file = !p.ends_with('/') && segments.last().is_some_and(|s| s.contains('.'));
    Ok(if is_file {
        joined
    } else {
        format!("{joined}/")
    })
}

/// The file an output path is written to: `a/b/` → `a/b/index.html`, `a/b.html` as is.
pub(crate) fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Who owns an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// An article or standalone page.
    Page(super::PageId),
    /// A section's index page.
    Section(super::SectionId),
    /// A taxonomy's list of terms.
    Taxonomy(usize),
    /// A term's pages: taxonomy and term.
    Term(usize, usize),
    /// A page stacks writes itself (search, audit, 404).
    Builtin(&'static str),
}

/// The output files claimed so far, so that two things are never written to one URL.
#[derive(Debug, Default, Clone)]
pub(crate) struct Claims {
    files: HashMap<String, Owner>,
}

impl Claims {
    /// Claims the output of `path` (a folder or file path) for `owner`; the owner that had it
    /// already when it is taken.
    pub(crate) fn claim(&mut self, path: &str, owner: Owner) -> Result<(), Owner> {
        match self.files.entry(output_file(path)) {
            Entry::Occupied(e) => Err(*e.get()),
            Entry::Vacant(e) => {
                e.insert(owner);
                Ok(())
            }
        }
    }

    /// Who owns `path`'s output file, if anyone.
    pub(crate) fn owner(&self, path: &str) -> Option<Owner> {
        self.files.get(&output_file(path)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates;

    #[test]
    fn urlize_keeps_what_hugo_keeps() {
        assert_eq!(urlize("HasSuffix"), "hassuffix");
        assert_eq!(urlize("org_chart"), "org_chart");
        assert_eq!(urlize("Sales Ops & Q&A!"), "sales-ops-qa");
        assert_eq!(urlize("node.js"), "node.js");
        assert_eq!(urlize("Café au lait"), "café-au-lait");
        assert_eq!(urlize("  "), "untitled");
        assert_eq!(urlize_path("Team/org_chart"), "team/org_chart/");
    }

    fn naming<'a>(date: Option<&'a Date>, slug: Option<&'a str>) -> Naming<'a> {
        Naming {
            dir: "news/releases",
            name: "2024-01-12-Big-News",
            undated: "Big-News",
            title: "Big News: Version 2!",
            slug,
            date,
            categories: &[],
        }
    }

    #[test]
    fn patterns_expand_hugo_and_jekyll_tokens() {
        let date = dates::parse("2024-01-12 09:05:00").unwrap();
        let n = naming(Some(&date), None);
        let cases = [
            (
                "/:year/:month/:day/:slug/",
                "/2024/01/12/big-news-version-2/",
            ),
            (
                "/:year/:monthname/:title/",
                "/2024/january/big-news-version-2/",
            ),
            ("/:section/:filename/", "/news/big-news/"),
            (
                "/:sections/:contentbasename/",
                "/news/releases/2024-01-12-big-news/",
            ),
            (
                "/:sections[1:]/:slugorfilename:output_ext",
                "/releases/big-news.html",
            ),
            (
                "/:sections[last]/:yearday-:weekdayname/",
                "/releases/12-friday/",
            ),
            (
                "/:short_year/:i_month/:i_day/:hour\\::minute/",
                "/24/1/12/09:05/",
            ),
            (
                "/:path/:basename:output_ext",
                "/news/releases/2024-01-12-big-news.html",
            ),
            ("/:categories/:year/", "/2024/"),
        ];
        for (pattern, want) in cases {
            assert_eq!(expand(pattern, &n).unwrap(), want, "{pattern}");
        }
        let n = naming(Some(&date), Some("custom/path"));
        assert_eq!(expand("/:slug/", &n).unwrap(), "/custom/path/");
        assert!(expand("/:nonsense/", &n).unwrap_err().contains(":nonsense"));
        let undated = naming(None, None);
        assert!(
            expand("/:year/:slug/", &undated)
                .unwrap_err()
                .contains("no date")
        );
    }

    #[test]
    fn default_paths_strip_the_date_and_keep_slug_folders() {
        let n = naming(None, None);
        assert_eq!(default_path(&n), "news/releases/big-news/");
        let n = naming(None, Some("a/B c"));
        assert_eq!(default_path(&n), "news/releases/a/b-c/");
    }

    #[test]
    fn written_paths() {
        assert_eq!(site_path("/about/").unwrap(), "about/");
        assert_eq!(site_path("about").unwrap(), "about/");
        assert_eq!(site_path("/old/page.html").unwrap(), "old/page.html");
        assert_eq!(site_path("/").unwrap(), "");
        for bad in ["https://x.y/a", "/a/../b", "a\\b", "/a?x=1", "C:/x"] {
            assert!(site_path(bad).is_err(), "{bad}");
        }
        assert_eq!(output_file("a/"), "a/index.html");
        assert_eq!(output_file("a.html"), "a.html");
        assert_eq!(output_file(""), "index.html");
    }

    #[test]
    fn claims_see_folder_and_file_forms_as_one() {
        let mut c = Claims::default();
        assert!(c.claim("a/", Owner::Page(crate::model::PageId(0))).is_ok());
        assert_eq!(
            c.claim("a/index.html", Owner::Page(crate::model::PageId(1))),
            Err(Owner::Page(crate::model::PageId(0)))
        );
        assert_eq!(c.owner("a/"), Some(Owner::Page(crate::model::PageId(0))));
    }
}
