//! Internal links against a small fixed site: an arbitrary markdown body, placed at a path the
//! first line names, has its links parsed and resolved and its placeholders filled; every other
//! line is also tried as a `related:` name, a slug, a heading id and a base URL. No panic, no
//! hang, and whatever resolves points inside the site.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stacks::internals::{LinkIndex, Target};
use stacks::internals::{BaseUrl, config};
use stacks::diagnostics::Diagnostics;
use stacks::internals::{Asset, Document, DocumentKind};
use stacks::internals::{Site, model};
use stacks::internals::markdown::{self, MarkdownOptions};
use stacks::internals::parse;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

const FILES: &[(&str, DocumentKind, &str)] = &[
    (
        "_index.md",
        DocumentKind::Section,
        "---\ntitle: Home\n---\nWelcome.\n",
    ),
    (
        "revops/_index.md",
        DocumentKind::Section,
        "---\ntitle: RevOps\n---\n",
    ),
    (
        "revops/pipeline/_index.md",
        DocumentKind::Section,
        "---\ntitle: Pipeline\n---\n",
    ),
    (
        "revops/pipeline/pipeline-stages.md",
        DocumentKind::Article,
        "---\ntitle: Pipeline stages\n---\n## How to count\n\nText.\n",
    ),
    (
        "revops/pipeline/stalled-deals.md",
        DocumentKind::Article,
        "---\ntitle: Stalled deals\nslug: stuck\n---\n## Signs\n",
    ),
    (
        "scorecards/metrics/win-rate/index.md",
        DocumentKind::Bundle,
        "---\ntitle: Win rate\n---\n## Formula\n",
    ),
    (
        "Léa et moi.md",
        DocumentKind::Article,
        "---\ntitle: \"Léa & moi\"\n---\n",
    ),
];

static SITE: LazyLock<Site> = LazyLock::new(|| {
    let mut diags = Diagnostics::new();
    let config = config::parse(
        "title: Fuzz\nbase_url: https://example.com/kb/\n",
        &mut diags,
    );
    let docs = FILES
        .iter()
        .map(|(rel, kind, text)| {
            let doc = Document {
                rel: rel.to_string(),
                kind: *kind,
                text: text.to_string(),
            };
            Arc::new(parse::parse_document(&doc, &config, &stacks::internals::Memos::default()))
        })
        .collect();
    let assets = [Asset {
        rel: "scorecards/metrics/win-rate/chart.png".into(),
        path: PathBuf::from("content/scorecards/metrics/win-rate/chart.png"),
    }];
    let base = config.base();
    let site = model::build(
        model::Input {
            config,
            content_dir: "content".into(),
            base,
            docs,
            assets: &assets,
            cascades: &[],
            publish: model::Publish::default(),
        },
        &mut diags,
    );
    assert!(!diags.has_errors(), "the fixed site builds: {diags:?}");
    site
});

static INDEX: LazyLock<LinkIndex<'static>> = LazyLock::new(|| LinkIndex::new(&SITE));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (rel, body) = text.split_once('\n').unwrap_or((text, ""));
    let opts = MarkdownOptions {
        smart_punctuation: true,
        unsafe_html: false,
        strip_first_h1: false,
        wiki_links: true,
    };
    let file = Path::new("content").join(rel);
    let r = markdown::render(body, 2, &file, &opts, &stacks::internals::Memos::default());
    let mut diags = stacks::diagnostics::Diagnostics::new();
    let resolved = INDEX.resolve(rel, Target::Page(stacks::internals::PageId(0)), &r.links, &file, &mut diags);
    assert_eq!(resolved.hrefs.len(), r.links.len());
    assert_eq!(resolved.titles.len(), r.links.len());
    for (href, target) in resolved.hrefs.iter().zip(&resolved.targets) {
        if target.is_some() {
            assert!(
                href.is_empty() || href.starts_with('#') || href.starts_with("/kb/"),
                "a resolved link leaves the site: {href}"
            );
        }
    }
    for d in &diags {
        assert!(d.line.is_some_and(|l| l >= 2), "{d}");
    }
    let _ = markdown::fill_placeholders(&r.html, &resolved.hrefs, &resolved.titles);

    for line in text.lines() {
        if let Some(id) = INDEX.page_named(line, rel) {
            assert!(id.0 < SITE.pages.len());
        }
        let slug = model::urlize(line);
        assert!(!slug.is_empty() && slug != "." && slug != "..");
        assert!(
            !slug.contains(|c: char| c.is_whitespace() || "/\\?#%:".contains(c)),
            "slug `{slug}`"
        );
        let _ = markdown::heading_id(line);
        let _ = markdown::is_external(line);
        if let Ok(base) = BaseUrl::parse(line) {
            assert!(
                base.path.starts_with('/') && base.path.ends_with('/'),
                "{base:?}"
            );
            let _ = base.absolute(line);
        }
    }
});
