//! Libraries written for Hugo, Jekyll and Eleventy build unchanged. Each test is a small site
//! in one generator's dialect, checked against what that generator would publish: the URL, the
//! date, the page present or absent in lists. The errors that remain are one per problem, with
//! file and line.

use crate::common::{Fixture, Run, assert_said, sel, text_of};
use scraper::Html;

/// Builds are as of this day, so that "future" and "expired" stay what the tests say.
const TODAY: (&str, &str) = ("STACKS_BUILD_DATE", "2026-11-30");

fn build(site: &Fixture, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--no-search"];
    args.extend_from_slice(extra);
    site.stacks_env(&args, &[TODAY])
}

fn built(site: &Fixture) -> Run {
    let run = build(site, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run
}

fn exists(site: &Fixture, rel: &str) -> bool {
    site.public().join(rel).is_file()
}

fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    doc.select(&sel(css))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

fn config(extra: &str) -> String {
    format!("title: Migrated library\nbase_url: https://example.com/\n{extra}")
}

fn page(front: &str, body: &str) -> String {
    format!("---\n{front}---\n\n{body}")
}

#[test]
fn hugo_permalinks_place_pages_by_date_slug_and_section() {
    let site = Fixture::new(&[
        (
            "site.yaml",
            &config(
                "permalinks:\n  news: /:year/:month/:day/:slug/\n  events: /event/:year/:month/:slug/\n  docs/guides: /manual/:sections[2:]/:filename/\n  notes: /:section/:monthname/:title/\n  page:\n    archive: /old/:contentbasename.html\n",
            ),
        ),
        ("content/news/_index.md", &page("title: News\n", "")),
        (
            "content/news/launch.md",
            &page("title: Big Launch!\ndate: 2024-01-12\n", "We launched.\n"),
        ),
        (
            "content/news/slugged.md",
            &page(
                "title: Slugged\nslug: custom-name\ndate: 2024-02-03T10:00:00Z\n",
                "Text.\n",
            ),
        ),
        (
            "content/events/meetup/index.md",
            &page("title: Meetup\ndate: 2024-03-05\n", "Come along.\n"),
        ),
        (
            "content/docs/guides/setup/install.md",
            &page("title: Install\n", "Steps.\n"),
        ),
        (
            "content/notes/2024-05-01-first-note.md",
            &page("title: First Note\n", "A note.\n"),
        ),
        (
            "content/archive/old-post.md",
            &page("title: Old post\ndate: 2020-01-01\n", "Old.\n"),
        ),
    ]);
    built(&site);
    for (file, title) in [
        ("2024/01/12/big-launch/index.html", "Big Launch!"),
        ("2024/02/03/custom-name/index.html", "Slugged"),
        ("event/2024/03/meetup/index.html", "Meetup"),
        ("manual/setup/install/index.html", "Install"),
        ("notes/may/first-note/index.html", "First Note"),
        ("old/old-post.html", "Old post"),
    ] {
        assert!(exists(&site, file), "{file}");
        assert_eq!(
            text_of(&site.page(file), "h1").as_deref(),
            Some(title),
            "{file}"
        );
    }
    let news = site.page("news/index.html");
    let listed = hrefs(&news, ".page-list a");
    assert_eq!(
        listed,
        ["/2024/02/03/custom-name/", "/2024/01/12/big-launch/"]
    );
    let note = site.page("notes/may/first-note/index.html");
    assert_eq!(
        attr(&note, ".article-meta time", "datetime").as_deref(),
        Some("2024-05-01T00:00:00Z"),
        "the date comes from the file name"
    );
}

#[test]
fn jekyll_posts_named_by_date_keep_dated_urls_that_never_collide() {
    let site = Fixture::new(&[
        (
            "site.yaml",
            &config(
                "taxonomies: [tags, categories]\npermalinks:\n  _posts: date\n  blog: pretty\n",
            ),
        ),
        (
            "content/_posts/2024-01-12-weekly-update.md",
            &page("title: Weekly update\n", "First week.\n"),
        ),
        (
            "content/_posts/2024-01-19-weekly-update.md",
            &page("title: Weekly update\n", "Second week.\n"),
        ),
        (
            "content/blog/2023-06-01-hello.md",
            &page("title: Hello\ncategories: Product News\n", "Hi.\n"),
        ),
        (
            "content/_drafts/idea.md",
            &page("title: Idea\n", "Later.\n"),
        ),
        (
            "content/_includes/note.md",
            "A snippet for Liquid's include.\n",
        ),
        (
            "content/_layouts/default.html",
            "<html>{{ content }}</html>\n",
        ),
        (
            "content/about.md",
            &page(
                "title: About us\nlayout: page\npermalink: /about-us/\n",
                "Who we are.\n",
            ),
        ),
    ]);
    built(&site);
    assert!(exists(&site, "2024/01/12/weekly-update.html"));
    assert!(exists(&site, "2024/01/19/weekly-update.html"));
    assert!(exists(&site, "product/news/2023/06/01/hello/index.html"));
    assert!(exists(&site, "about-us/index.html"));
    assert!(
        !exists(&site, "_drafts/idea/index.html"),
        "_drafts holds drafts"
    );
    assert!(
        !site.public().join("_includes").exists(),
        "includes are not content"
    );
    assert!(
        !site.public().join("_layouts").exists(),
        "layouts are not content"
    );
    let category = site.page("categories/product/index.html");
    assert_eq!(
        hrefs(&category, ".page-list a"),
        ["/product/news/2023/06/01/hello/"]
    );

    // Without a dated permalink the two posts would share a URL: one error names both.
    site.write("site.yaml", &config(""));
    let run = build(&site, &[]);
    assert_eq!(run.status, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("2024-01-12-weekly-update.md")
            && errors[0].contains("2024-01-19-weekly-update.md"),
        "{}",
        errors[0]
    );
}

#[test]
fn url_permalink_and_slug_in_front_matter() {
    let site = Fixture::new(&[
        ("content/commands/_index.md", &page("title: Commands\n", "")),
        (
            "content/commands/hugo_mod.md",
            &page("title: hugo mod\nurl: /commands/hugo_mod/\n", "Modules.\n"),
        ),
        (
            "content/commands/legacy.md",
            &page("title: Legacy\nurl: /legacy/page.html\n", "Old.\n"),
        ),
        (
            "content/about-us/centers/index.md",
            &page("title: Centers\npermalink: /centers/\n", "Our centers.\n"),
        ),
        (
            "content/about-us/centers/team.md",
            &page("title: Team\n", "People.\n"),
        ),
        (
            "content/commands/nested.md",
            &page("title: Nested\nslug: deep/er\n", "Text.\n"),
        ),
        ("content/team/Org_Chart.md", "# Org chart\n\nBoxes.\n"),
    ]);
    built(&site);
    assert!(exists(&site, "commands/hugo_mod/index.html"));
    assert!(exists(&site, "legacy/page.html"));
    assert!(exists(&site, "centers/index.html"), "a section's permalink");
    assert!(exists(&site, "about-us/centers/team/index.html"));
    assert!(
        exists(&site, "commands/deep/er/index.html"),
        "a slug with `/`"
    );
    let chart = site.page("team/org_chart/index.html");
    assert_eq!(text_of(&chart, "h1").as_deref(), Some("Org chart"));
    let centers = site.page("centers/index.html");
    assert_eq!(
        hrefs(&centers, ".page-list a"),
        ["/about-us/centers/team/"],
        "an index.md beside other pages is its folder's section"
    );
}

#[test]
fn dates_in_every_form_hugo_and_jekyll_accept() {
    let cases = [
        (
            "hour-offset",
            "date: 2016-03-23 9:00:00 -4\n",
            "2016-03-23T13:00:00Z",
        ),
        (
            "compact-offset",
            "date: 2016-03-23 09:00:00 -0500\n",
            "2016-03-23T14:00:00Z",
        ),
        (
            "colon-offset",
            "date: 2016-03-23T09:00:00-05:00\n",
            "2016-03-23T14:00:00Z",
        ),
        (
            "zulu",
            "date: 2016-03-23T09:00:00Z\n",
            "2016-03-23T09:00:00Z",
        ),
        ("quoted", "date: '2016-03-23'\n", "2016-03-23T00:00:00Z"),
        (
            "trailing-space",
            "date: \"2016-03-23 \"\n",
            "2016-03-23T00:00:00Z",
        ),
        (
            "go-layout",
            "date: 2019-03-26 13:44:17.458478 -0400 EDT\n",
            "2019-03-26T17:44:17.458478Z",
        ),
        (
            "rfc1123",
            "date: Mon, 02 Jan 2006 15:04:05 MST\n",
            "2006-01-02T22:04:05Z",
        ),
    ];
    let mut files: Vec<(String, String)> = cases
        .iter()
        .map(|(name, front, _)| {
            (
                format!("content/lib/{name}.md"),
                page(&format!("title: {name}\n{front}"), "Text.\n"),
            )
        })
        .collect();
    files.extend([
        (
            "content/lib/2021-07-04-from-name.md".to_string(),
            page("title: From the file name\n", "Text.\n"),
        ),
        (
            "content/lib/modified.md".to_string(),
            page(
                "title: Modified\ndate: 2020-01-01\nlastmod: 2021-02-03\n",
                "Text.\n",
            ),
        ),
        (
            "content/lib/scheduled.md".to_string(),
            page("title: Scheduled\npublishDate: 2031-01-01\n", "Soon.\n"),
        ),
        (
            "content/lib/dated-ahead.md".to_string(),
            page("title: Dated ahead\ndate: 2031-01-01\n", "Soon.\n"),
        ),
        (
            "content/lib/expired.md".to_string(),
            page("title: Expired\nexpiryDate: 2025-01-01\n", "Gone.\n"),
        ),
        (
            "content/lib/expiring.md".to_string(),
            page("title: Expiring\nexpirydate: 2030-01-01\n", "Still here.\n"),
        ),
    ]);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Fixture::new(&refs);
    let run = built(&site);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    for (name, _, iso) in cases {
        let doc = site.page(&format!("lib/{name}/index.html"));
        assert_eq!(
            attr(&doc, ".article-meta .date time", "datetime").as_deref(),
            Some(iso),
            "{name}"
        );
    }
    let named = site.page("lib/from-name/index.html");
    assert_eq!(
        text_of(&named, ".article-meta .date time").as_deref(),
        Some("July 4, 2021")
    );
    let modified = site.page("lib/modified/index.html");
    assert_eq!(
        text_of(&modified, ".article-meta .updated time").as_deref(),
        Some("February 3, 2021")
    );
    assert!(
        !exists(&site, "lib/scheduled/index.html"),
        "publishDate ahead"
    );
    assert!(
        !exists(&site, "lib/dated-ahead/index.html"),
        "date ahead, as in Hugo"
    );
    assert!(
        !exists(&site, "lib/expired/index.html"),
        "expiryDate passed"
    );
    assert!(exists(&site, "lib/expiring/index.html"));
    assert!(
        run.stdout
            .contains("not built: 2 dated in the future, 1 expired"),
        "{}",
        run.stdout
    );
    let run = build(&site, &["--future", "--expired"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for slug in ["scheduled", "dated-ahead", "expired"] {
        assert!(exists(&site, &format!("lib/{slug}/index.html")), "{slug}");
    }

    // A date that cannot be read is one error on its line.
    site.write(
        "content/lib/broken.md",
        "---\ntitle: Broken\n\ndate: the day after tomorrow\n---\n\nText.\n",
    );
    let run = build(&site, &[]);
    assert_eq!(run.status, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/lib/broken.md:4:1: error: `date`"),
        "{}",
        errors[0]
    );
}

#[test]
fn front_matter_as_hugo_reads_it() {
    let site = Fixture::new(&[
        ("site.yaml", &config("taxonomies: [tags, categories]\n")),
        (
            "templates/params.html",
            "<p class=\"color\">{{ page.extra.color }} {{ page.extra.size }}</p>\n",
        ),
        ("content/lib/_index.md", &page("title: Lib\n", "")),
        (
            "content/lib/twice.md",
            &page("title: First\nweight:\ntitle: Second\n", "Body.\n"),
        ),
        (
            "content/lib/blank-lines.md",
            "\n\n---\ntitle: After blank lines\n---\n\nBody.\n",
        ),
        (
            "content/lib/toml.md",
            "+++\ntitle = \"From TOML\"\ndate = 2024-01-12T09:00:00-05:00\ntags = [\"alpha\"]\n[params]\ncolor = \"red\"\n+++\n\nBody.\n",
        ),
        (
            "content/lib/json.md",
            "{\n  \"title\": \"From JSON\",\n  \"tags\": [\"alpha\"]\n}\n\nBody.\n",
        ),
        (
            "content/lib/summarised.md",
            &page(
                "title: Summarised\nsummary: The summary field.\n",
                "First paragraph.\n",
            ),
        ),
        (
            "content/lib/excerpted.md",
            &page(
                "title: Excerpted\nexcerpt: The excerpt field.\n",
                "First paragraph.\n",
            ),
        ),
        (
            "content/lib/divided.md",
            &page(
                "title: Divided\n",
                "Before the divider.\n\n<!--more-->\n\nAfter it.\n",
            ),
        ),
        (
            "content/lib/keyworded.md",
            &page(
                "title: Keyworded\nkeywords: voluntary, donation,leave\ncategories: [Guides]\n",
                "Body.\n",
            ),
        ),
        (
            "content/lib/with-params.md",
            &page(
                "title: With params\ntemplate: params.html\nparams:\n  color: red\nsize: medium\n",
                "Body.\n",
            ),
        ),
        (
            "content/lib/unpublished.md",
            &page("title: Unpublished\npublished: false\n", "Body.\n"),
        ),
        (
            "content/lib/moved.md",
            &page(
                "title: Moved\nredirect_from:\n  - /old-home/\naliases: [/older-home/]\n",
                "Body.\n",
            ),
        ),
    ]);
    let run = built(&site);
    let twice = run
        .stderr
        .lines()
        .find(|l| l.contains("twice.md"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        twice.starts_with(
            "content/lib/twice.md:4:1: warning: `title` is written twice, on lines 2 and 4"
        ),
        "{twice}"
    );
    assert_eq!(
        text_of(&site.page("lib/twice/index.html"), "h1").as_deref(),
        Some("Second")
    );
    assert!(exists(&site, "lib/blank-lines/index.html"));
    let toml = site.page("lib/toml/index.html");
    assert_eq!(text_of(&toml, "h1").as_deref(), Some("From TOML"));
    assert_eq!(
        attr(&toml, ".article-meta .date time", "datetime").as_deref(),
        Some("2024-01-12T14:00:00Z")
    );
    let alpha = site.page("tags/alpha/index.html");
    let mut tagged = hrefs(&alpha, ".page-list a");
    tagged.sort();
    assert_eq!(tagged, ["/lib/json/", "/lib/toml/"]);
    let lib = site.page("lib/index.html");
    let cards: Vec<String> = lib
        .select(&sel(".page-list li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    for (title, summary) in [
        ("Summarised", "The summary field."),
        ("Excerpted", "The excerpt field."),
        ("Divided", "Before the divider."),
    ] {
        let card = cards
            .iter()
            .find(|c| c.contains(title))
            .unwrap_or_else(|| panic!("{title} in {cards:?}"));
        assert!(card.contains(summary), "{card}");
        assert!(!card.contains("After it"), "{card}");
    }
    let keyworded = site.page("lib/keyworded/index.html");
    assert_eq!(
        attr(&keyworded, "meta[name=keywords]", "content").as_deref(),
        Some("voluntary, donation, leave")
    );
    assert_eq!(
        hrefs(&site.page("categories/guides/index.html"), ".page-list a"),
        ["/lib/keyworded/"]
    );
    assert_eq!(
        text_of(&site.page("lib/with-params/index.html"), ".color").as_deref(),
        Some("red medium")
    );
    assert!(
        !exists(&site, "lib/unpublished/index.html"),
        "published: false"
    );
    for old in ["old-home/index.html", "older-home/index.html"] {
        assert_eq!(
            attr(&site.page(old), "meta[http-equiv=refresh]", "content").as_deref(),
            Some("0; url=/lib/moved/"),
            "{old}"
        );
    }
    let run = build(&site, &["--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(exists(&site, "lib/unpublished/index.html"));
}

#[test]
fn aliases_never_replace_a_page() {
    let many: String = (0..1200)
        .map(|i| format!("  - /redirects/r{i}/\n"))
        .collect();
    let site = Fixture::new(&[
        (
            "content/functions/HasSuffix.md",
            &page(
                "title: HasSuffix\naliases: [/functions/hassuffix, /functions/other/]\n",
                "Text.\n",
            ),
        ),
        (
            "content/functions/other.md",
            &page("title: Other\n", "Text.\n"),
        ),
        (
            "content/redirects.md",
            &page(
                &format!("title: Redirects\naliases:\n{many}"),
                "Old links.\n",
            ),
        ),
    ]);
    let run = built(&site);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning, for the alias on another page: {}",
        run.stderr
    );
    assert!(
        warnings[0].starts_with("content/functions/HasSuffix.md:3:1: warning: alias `/functions/other/` is the URL of content/functions/other.md; that page is kept"),
        "{}",
        warnings[0]
    );
    assert_eq!(
        text_of(&site.page("functions/other/index.html"), "h1").as_deref(),
        Some("Other")
    );
    assert_eq!(
        text_of(&site.page("functions/hassuffix/index.html"), "h1").as_deref(),
        Some("HasSuffix")
    );
    for i in [0, 599, 1199] {
        let doc = site.page(&format!("redirects/r{i}/index.html"));
        assert_eq!(
            attr(&doc, "meta[http-equiv=refresh]", "content").as_deref(),
            Some("0; url=/redirects/")
        );
    }
}

#[test]
fn cascade_build_options_and_standalone_pages() {
    let article = |title: &str, extra: &str| {
        page(
            &format!(
                "title: {title}\ndate: 2024-01-0{}\ntags: [pipeline]\n{extra}",
                title.len() % 9 + 1
            ),
            "Pipeline coverage, forecast accuracy and win rates for revenue teams.\n",
        )
    };
    let site = Fixture::new(&[
        (
            "site.yaml",
            &config(
                "cascade:\n  - target:\n      path: /blog/**\n    tags: [from-config]\n    type: article\n",
            ),
        ),
        ("content/_index.md", &page("title: Home\n", "")),
        ("content/lib/_index.md", &page("title: Lib\n", "")),
        ("content/lib/one.md", &article("One", "")),
        ("content/lib/two.md", &article("Two", "")),
        (
            "content/lib/hidden.md",
            &article("Hidden", "build:\n  list: never\n"),
        ),
        (
            "content/lib/snippet.md",
            &article("Snippet", "_build:\n  render: never\n"),
        ),
        (
            "content/policies/_index.md",
            &page("title: Policies\ncascade:\n  type: page\n", ""),
        ),
        ("content/policies/privacy.md", &article("Privacy", "")),
        (
            "content/_common/_index.md",
            &page(
                "cascade:\n  build:\n    list: never\n    render: never\n",
                "",
            ),
        ),
        (
            "content/_common/part.md",
            &page("title: Part\n", "Included text.\n"),
        ),
        ("content/about.md", &article("About", "")),
        (
            "content/blog/post.md",
            &page(
                "title: Post\ndate: 2024-01-05\n",
                "Pipeline coverage for revenue teams.\n",
            ),
        ),
    ]);
    let run = built(&site);
    assert!(
        run.stdout.contains("1 with render: never") || run.stdout.contains("render: never"),
        "{}",
        run.stdout
    );
    assert!(
        exists(&site, "lib/hidden/index.html"),
        "list: never is still written"
    );
    assert!(
        !exists(&site, "lib/snippet/index.html"),
        "render: never is not"
    );
    assert!(!exists(&site, "_common/part/index.html"));
    assert!(!exists(&site, "_common/index.html"));
    let lib = site.page("lib/index.html");
    assert_eq!(
        hrefs(&lib, ".page-list a").len(),
        2,
        "the hidden page is not listed"
    );
    let tag = site.page("tags/pipeline/index.html");
    let tagged = hrefs(&tag, ".page-list a");
    for absent in ["/lib/hidden/", "/policies/privacy/", "/about/"] {
        assert!(
            !tagged.contains(&absent.to_string()),
            "{absent} in {tagged:?}"
        );
    }
    let from_config = site.page("tags/from-config/index.html");
    assert_eq!(hrefs(&from_config, ".page-list a"), ["/blog/post/"]);

    // Standalone pages: listed in their own section and the footer, nowhere else.
    let policies = site.page("policies/index.html");
    assert_eq!(hrefs(&policies, ".page-list a"), ["/policies/privacy/"]);
    let home = site.page("index.html");
    assert!(hrefs(&home, ".footer-pages a").contains(&"/about/".to_string()));
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    let mut recent = hrefs(&home, ".recent a.page-list-title");
    recent.sort();
    assert_eq!(recent, ["/blog/post/", "/lib/one/", "/lib/two/"]);
    for id in [
        "lib/one/index.html",
        "lib/two/index.html",
        "blog/post/index.html",
    ] {
        let doc = site.page(id);
        let mut shown = hrefs(&doc, ".related a.page-list-title");
        shown.extend(hrefs(&doc, ".more-in-collection a.page-list-title"));
        for absent in ["/about/", "/policies/privacy/", "/lib/hidden/"] {
            assert!(!shown.contains(&absent.to_string()), "{id} lists {absent}");
        }
    }
    for absent in ["/about/", "/policies/privacy/", "/lib/hidden/"] {
        assert!(
            !feed.contains(&format!("https://example.com{absent}")),
            "{absent} in the feed"
        );
    }
    assert!(feed.contains("https://example.com/lib/one/"));
}

#[test]
fn template_syntax_from_other_generators() {
    let site = Fixture::new(&[
        (
            "content/lib/target.md",
            &page("title: Target\n", "## Part two\n\nText.\n"),
        ),
        (
            "content/_posts/2010-07-21-name.md",
            &page("title: A post\n", "Post.\n"),
        ),
        (
            "content/lib/shortcodes.md",
            &page(
                "title: Shortcodes\n",
                "Intro.\n\n{{< figure src=\"x.png\" >}}\n\n[ref]({{< ref \"target.md#part-two\" >}}) \
                 [link]({% link lib/target.md %}) [post]({% post_url 2010-07-21-name %}) \
                 [page]({% page \"/lib/target/\" %}) [filter]({{ \"/lib/target/\" | relative_url }}) \
                 [base]({{site.baseurl}}/lib/target/) [unknown]({{page.url}})\n\n\
                 ```\n{{< ref \"kept-in-code\" >}}\n```\n",
            ),
        ),
    ]);
    let run = built(&site);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("content/lib/shortcodes.md:7:1: warning: template syntax from another generator (`{{< figure src=\"x.png\" >}}`, and 1 more place(s))"),
        "{}",
        warnings[0]
    );
    let doc = site.page("lib/shortcodes/index.html");
    let links = hrefs(&doc, ".article-body a");
    assert_eq!(
        links,
        [
            "/lib/target/#part-two",
            "/lib/target/",
            "/_posts/name/",
            "/lib/target/",
            "/lib/target/",
            "/lib/target/",
            // Kept as written (escaped for the attribute), not judged.
            "%7B%7Bpage.url%7D%7D",
        ]
    );
    assert!(
        text_of(&doc, ".article-body pre")
            .unwrap()
            .contains("{{< ref")
    );
}

#[test]
fn a_library_with_many_warnings_ends_with_a_summary_by_kind() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..12 {
        let links: String = (0..=i)
            .map(|k| format!("[gone](missing-{k}.md) "))
            .collect();
        files.push((
            format!("content/lib/page-{i:02}.md"),
            page(
                &format!("title: Page {i}\n"),
                &format!("{links}\n\n{{{{< note >}}}}\n"),
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Fixture::new(&refs);
    let run = site.stacks_env(&["build", "--no-search", "--max-warnings", "5"], &[TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let shown = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .count();
    assert_eq!(shown, 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("… and 85 more warning(s) not shown"),
        "{}",
        run.stderr
    );
    assert_said("migration", "summary_by_kind", &run.stderr, site.root());
    let run = site.stacks_env(&["check", "--format", "json"], &[TODAY]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 90, "json keeps every entry");
    assert!(diags.iter().all(|d| d["code"].is_string()));
    assert_eq!(json["summary"][0]["code"], "broken-link");
    assert_eq!(json["summary"][0]["count"], 78);
}

#[test]
fn every_remaining_error_is_one_per_problem_with_file_and_line() {
    let site = Fixture::new(&[
        (
            "site.yaml",
            &config("permalinks:\n  news: /:year/:nonsense/\n"),
        ),
        (
            "content/news/a.md",
            &page("title: A\ndate: 2024-01-01\n", "Text.\n"),
        ),
        (
            "content/lib/bad-date.md",
            &page("title: Bad date\ndate: 2024-02-31\n", "Text.\n"),
        ),
        (
            "content/lib/x.md",
            &page("title: X\nurl: /same/\n", "Text.\n"),
        ),
        (
            "content/lib/y.md",
            &page("title: Y\nurl: /same/\n", "Text.\n"),
        ),
        (
            "content/lib/bad-url.md",
            &page("title: Bad\nurl: ../../outside/\n", "Text.\n"),
        ),
    ]);
    let run = build(&site, &[]);
    assert_eq!(run.status, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    assert_said(
        "migration",
        "one_error_per_problem",
        &run.stderr,
        site.root(),
    );
}
