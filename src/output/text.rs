//! The text printers, for people and for the tools people use: results grouped by article
//! (a header, then a line of context per passage, or whole passages), `path:line: text` lines
//! for grep and editors, `path:line:column: text` for vim's quickfix, paths, and counts.

use std::io::{self, Write};
use std::path::PathBuf;

use textwrap::core::display_width;

use super::sanitize::escape;
use super::{QueryRecord, count};
use crate::index::searcher::{Hit, Matched};
use crate::passage::{LineMap, PageMap};
use crate::snippet::Snippet;

const RESET: &str = "\x1b[0m";
pub const PATH: &str = "\x1b[35m";
pub const LINES: &str = "\x1b[32m";
pub const TITLE: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const FAINT: &str = "\x1b[2m";
const INDENT: &str = "  ";
/// Copies of a story named under its hit; the others are counted.
const COPIES_NAMED: usize = 3;
/// How wide a line of context is where no terminal says (a pipe): about two sentences' worth.
pub const SNIPPET_COLUMNS: usize = 160;
/// The narrowest room a line of context gets, however narrow the terminal.
const NARROWEST_SNIPPET: usize = 10;

/// How text output looks.
#[derive(Debug, Clone, Default)]
pub struct TextStyle {
    /// Colour the header and the matched words (ANSI escapes).
    pub color: bool,
    /// Fit lines to this many columns; `None` leaves each line whole.
    pub width: Option<usize>,
    /// Show paths under this folder relative to it.
    pub relative_to: Option<PathBuf>,
}

/// The hits of one query grouped by article, best article first: a header, then for each
/// passage a line of context (`full`: the whole passage), then how many more passages of the
/// article matched.
pub fn write_grouped(
    out: &mut impl Write,
    style: &TextStyle,
    hits: &[Hit],
    full: bool,
) -> io::Result<()> {
    // Line labels of one width down the page.
    let label_width = hits
        .iter()
        .map(|hit| label_width(hit.lines, &hit.pages))
        .max()
        .unwrap_or(1);
    for group in by_article(hits) {
        writeln!(out, "{}", header(style, group[0]))?;
        if full {
            // Whole passages read best in the order of the article.
            let mut in_order = group.clone();
            in_order.sort_by_key(|hit| hit.lines[0]);
            write_passages(out, style, &in_order, label_width)?;
        } else {
            write_context_lines(out, style, &group, label_width)?;
        }
        let shown = group.len() as u64;
        if let Some(more) = group[0].article_matches.filter(|&all| all > shown) {
            let line = format!("{INDENT}+ {}", count(more - shown, "more passage"));
            writeln!(out, "{}", paint(style, FAINT, &line))?;
        }
        if group[0].copies_total > 0 {
            let line = format!("{INDENT}{}", also_in(style, group[0]));
            writeln!(out, "{}", paint(style, FAINT, &line))?;
        }
        if !group[0].completed_from.is_empty() {
            // The header shows what the article lacked and a copy gave: say which.
            let from: Vec<String> = (group[0].completed_from.iter())
                .map(|(field, path)| format!("{field} from {}", shown_path(style, path)))
                .collect();
            let line = format!("{INDENT}{}", from.join(", "));
            writeln!(out, "{}", paint(style, FAINT, &line))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `also in 2 other files: a.html (original), b.pdf`: a story's other copies, the first few
/// named.
fn also_in(style: &TextStyle, hit: &Hit) -> String {
    let mut named: Vec<String> = (hit.copies.iter().take(COPIES_NAMED))
        .map(|copy| {
            let article = &copy.article;
            let mut name = path_with_part(style, &article.path, article.part.as_deref());
            if copy.original {
                name.push_str(" (original)");
            }
            name
        })
        .collect();
    if hit.copies_total > named.len() {
        named.push("…".to_string());
    }
    format!(
        "also in {}: {}",
        count(hit.copies_total as u64, "other file"),
        named.join(", ")
    )
}

/// The hits of each article, articles in the order of their best hit.
fn by_article(hits: &[Hit]) -> Vec<Vec<&Hit>> {
    let mut groups: Vec<Vec<&Hit>> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for hit in hits {
        let article = (hit.path_bytes.as_slice(), hit.part.as_deref());
        let at = *index.entry(article).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(hit);
    }
    groups
}

/// A line of context per passage: `  LINE: …words…`, the line where its first match is.
fn write_context_lines(
    out: &mut impl Write,
    style: &TextStyle,
    group: &[&Hit],
    label_width: usize,
) -> io::Result<()> {
    let columns = style.width.map_or(SNIPPET_COLUMNS, |width| {
        width
            .saturating_sub(INDENT.len() + label_width + 2)
            .max(NARROWEST_SNIPPET)
    });
    for hit in group {
        let snippet = Snippet::of(&hit.passage, &hit.highlights, columns);
        let line = hit.pages.place(snippet.line(hit.lines[0], &hit.line_map));
        writeln!(
            out,
            "{INDENT}{}: {}",
            paint(style, LINES, &format!("{:>label_width$}", line.to_string())),
            excerpt(style, &hit.passage, &snippet)
        )?;
    }
    Ok(())
}

/// Whole passages, then their score explained when asked.
fn write_passages(
    out: &mut impl Write,
    style: &TextStyle,
    group: &[&Hit],
    label_width: usize,
) -> io::Result<()> {
    for (number, hit) in group.iter().enumerate() {
        if number > 0 {
            writeln!(out)?;
        }
        let place = Place {
            first_line: hit.lines[0],
            lines: &hit.line_map,
            pages: &hit.pages,
            label_width,
        };
        write_passage(out, style, &hit.passage, &place, &hit.highlights)?;
        if let Some(explanation) = &hit.explanation {
            writeln!(out, "{INDENT}score:")?;
            write_explanation(out, explanation, 2)?;
        }
    }
    Ok(())
}

/// Where a passage's lines are in its file, and how wide their labels are.
pub struct Place<'a> {
    pub first_line: u32,
    pub lines: &'a LineMap,
    pub pages: &'a PageMap,
    pub label_width: usize,
}

/// The width of the labels of a passage over `lines`: its first line's or its last line's
/// (on pages, the first may be the wider).
pub fn label_width(lines: [u32; 2], pages: &PageMap) -> usize {
    let width = |line| pages.place(line).to_string().len();
    width(lines[0]).max(width(lines[1]))
}

/// A passage, each paragraph labelled with the file line it starts on, wrapped to the width
/// under its label, paragraphs apart, highlights marked.
pub fn write_passage(
    out: &mut impl Write,
    style: &TextStyle,
    passage: &str,
    place: &Place,
    highlights: &[[usize; 2]],
) -> io::Result<()> {
    let mut start = 0;
    for (number, paragraph) in passage.split('\n').enumerate() {
        if number > 0 {
            writeln!(out)?;
        }
        let end = start + paragraph.len();
        let line = place
            .pages
            .place(place.lines.line_at(place.first_line, start));
        let label = format!(
            "{INDENT}{:>width$}  ",
            line.to_string(),
            width = place.label_width
        );
        let marked = mark(style, passage, start..end, highlights);
        let wrapped = match style.width {
            Some(width) => {
                let hanging = " ".repeat(label.len());
                let options = textwrap::Options::new(width)
                    .initial_indent(&label)
                    .subsequent_indent(&hanging);
                textwrap::wrap(&marked, options)
                    .into_iter()
                    .map(|line| line.into_owned())
                    .collect()
            }
            None => vec![format!("{label}{marked}")],
        };
        for (i, line) in wrapped.iter().enumerate() {
            match line.strip_prefix(label.as_str()) {
                Some(rest) if i == 0 => writeln!(out, "{}{rest}", paint(style, LINES, &label))?,
                _ => writeln!(out, "{line}")?,
            }
        }
        start = end + 1;
    }
    Ok(())
}

/// One line per passage for grep and editors: `path:LINE: …words…`; with `column`,
/// `path:LINE:COLUMN: …` (the byte column of the first match in that line of the text quarry
/// read, 1-based).
pub fn write_lines(
    out: &mut impl Write,
    style: &TextStyle,
    hits: &[Hit],
    column: bool,
) -> io::Result<()> {
    let mut files = std::collections::HashMap::new();
    for hit in hits {
        let snippet = Snippet::of(&hit.passage, &hit.highlights, SNIPPET_COLUMNS);
        let line = snippet.line(hit.lines[0], &hit.line_map);
        let mut place = format!(
            "{}:{}:",
            paint(style, PATH, &article_path(style, hit)),
            paint(style, LINES, &hit.pages.place(line).to_string())
        );
        if column {
            let at = snippet.first_match();
            let word = snippet.highlights.first().map(|[start, end]| {
                &hit.passage[snippet.range.start + start..snippet.range.start + end]
            });
            // The lines of an article inside a file (a mailbox's message) are its own.
            let file = files
                .entry(hit.path_bytes.clone())
                .or_insert_with(|| read_bounded(&hit.path_bytes))
                .as_deref()
                .filter(|_| hit.part.is_none());
            // Where the word is in that line of the file (markup, indents and earlier passages
            // of a long line are not in the passage's text); else its place in the text read.
            let found = word.and_then(|word| column_in(file?, line, word));
            let column =
                found.unwrap_or_else(|| at.saturating_sub(hit.line_map.line_start(at)) + 1);
            place.push_str(&format!("{column}:"));
        }
        writeln!(out, "{place} {}", excerpt(style, &hit.passage, &snippet))?;
    }
    Ok(())
}

/// The most of a file read to find a column in it.
const MAX_FILE_FOR_COLUMNS: u64 = 64 << 20;

/// The bytes of the file at `path`, when it can be read and is not too large.
fn read_bounded(path: &[u8]) -> Option<Vec<u8>> {
    let path = crate::paths::path_from_bytes(path);
    let file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_FILE_FOR_COLUMNS {
        return None;
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut { file }, &mut bytes).ok()?;
    Some(bytes)
}

/// The 1-based byte column of the first `word` in line `line` of `file`, in that case or any.
fn column_in(file: &[u8], line: u32, word: &str) -> Option<usize> {
    let text = file
        .split(|&byte| byte == b'\n')
        .nth(line.checked_sub(1)? as usize)?;
    let word = word.as_bytes();
    if word.is_empty() {
        return None;
    }
    let found = text
        .windows(word.len())
        .position(|window| window == word)
        .or_else(|| {
            text.windows(word.len())
                .position(|window| window.eq_ignore_ascii_case(word))
        })?;
    Some(found + 1)
}

/// The path of each file of the hits, best first, once each (a mailbox once for all its
/// messages: what is listed is what opens).
pub fn write_paths(out: &mut impl Write, style: &TextStyle, hits: &[Hit]) -> io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    for hit in hits {
        if seen.insert(hit.path_bytes.as_slice()) {
            writeln!(out, "{}", paint(style, PATH, &shown_path(style, &hit.path)))?;
        }
    }
    Ok(())
}

/// `N passages in M articles`.
pub fn write_count(out: &mut impl Write, matched: Matched) -> io::Result<()> {
    let stories = match matched.stories {
        1 if matched.articles > 1 => " (1 story)".to_string(),
        stories if stories < matched.articles => format!(" ({stories} stories)"),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} in {}{stories}",
        count(matched.passages, "passage"),
        count(matched.articles, "article")
    )
}

/// A snippet as shown: `…` where it cuts a sentence, its matches marked, made safe.
fn excerpt(style: &TextStyle, passage: &str, snippet: &Snippet) -> String {
    let highlights: Vec<[usize; 2]> = snippet
        .highlights
        .iter()
        .map(|[start, end]| [start + snippet.range.start, end + snippet.range.start])
        .collect();
    let mut text = String::new();
    if snippet.cut_before {
        text.push('…');
    }
    // One line: a tab would jump past the width the snippet was cut to.
    text.push_str(&mark(style, passage, snippet.range.clone(), &highlights).replace('\t', " "));
    if snippet.cut_after {
        text.push('…');
    }
    text
}

/// An explanation tree, one node a line: `value  description`, details indented below.
fn write_explanation(
    out: &mut impl Write,
    node: &serde_json::Value,
    depth: usize,
) -> io::Result<()> {
    let value = node["value"].as_f64().unwrap_or_default();
    let description = node["description"].as_str().unwrap_or_default();
    writeln!(
        out,
        "{}{value:.4}  {}",
        INDENT.repeat(depth),
        escape(description)
    )?;
    for detail in node["details"].as_array().into_iter().flatten() {
        write_explanation(out, detail, depth + 1)?;
    }
    Ok(())
}

/// A line naming a query of a batch above its hits: `# ID: QUERY`, or the error.
pub fn write_label(
    out: &mut impl Write,
    style: &TextStyle,
    record: &QueryRecord,
) -> io::Result<()> {
    let query = escape(record.query.unwrap_or_default());
    let label = format!("# {}: {query}", escape(record.id));
    writeln!(out, "{}", paint(style, TITLE, &label))?;
    match record.error {
        Some(error) => writeln!(out, "  error: {}\n", escape(error)),
        None if record.hits.is_empty() => writeln!(out, "  (no match)\n"),
        None => Ok(()),
    }
}

/// Colours `text` with `code` when the style has colour.
pub fn paint(style: &TextStyle, code: &str, text: &str) -> String {
    if style.color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// A path as shown: relative to the style's folder when it is under it.
pub fn shown_path(style: &TextStyle, path: &str) -> String {
    let path = std::path::Path::new(path);
    let shown = style
        .relative_to
        .as_deref()
        .and_then(|base| path.strip_prefix(base).ok())
        .unwrap_or(path);
    escape(&shown.to_string_lossy()).into_owned()
}

/// A hit's file as shown, with the article inside it when it holds several: `inbox.mbox#3`.
fn article_path(style: &TextStyle, hit: &Hit) -> String {
    path_with_part(style, &hit.path, hit.part.as_deref())
}

fn path_with_part(style: &TextStyle, path: &str, part: Option<&str>) -> String {
    let path = shown_path(style, path);
    match part {
        Some(part) => format!("{path}#{}", escape(part)),
        None => path,
    }
}

/// `path  date  source · author — title`, fitted to the width without cutting a word (the
/// path is never cut: it is what opens the file), untrusted parts made safe for a terminal.
fn header(style: &TextStyle, hit: &Hit) -> String {
    let path = article_path(style, hit);
    let date = hit
        .date
        .map_or_else(|| "undated".to_string(), |date| date.to_string());
    let used = display_width(&path) + 2 + date.len();
    let names: Vec<String> = [&hit.source, &hit.author]
        .into_iter()
        .flatten()
        .map(|name| escape(name).replace('\t', " "))
        .collect();
    let names = names.join(" · ");
    let title = hit
        .title
        .as_deref()
        .map(|title| escape(title).replace('\t', " "));
    let room = style.width.map(|width| width.saturating_sub(used + 2));
    let (names, title) = match (names.is_empty(), title) {
        (true, None) => (String::new(), String::new()),
        (true, Some(title)) => (String::new(), fit(&title, room)),
        (false, None) => (fit(&names, room), String::new()),
        (false, Some(title)) => {
            let names = fit(&names, room);
            let left = room.map(|room| room.saturating_sub(display_width(&names) + 3));
            (names, fit(&title, left))
        }
    };
    let mut line = format!("{}  {date}", paint(style, PATH, &path));
    if !names.is_empty() || !title.is_empty() {
        line.push_str("  ");
        line.push_str(&names);
        if !names.is_empty() && !title.is_empty() {
            line.push_str(" — ");
        }
        if !title.is_empty() {
            line.push_str(&paint(style, TITLE, &title));
        }
    }
    line
}

/// `text` cut after a whole word to fit `room` columns, with `…` when cut; nothing when not
/// even a word and the `…` fit.
fn fit(text: &str, room: Option<usize>) -> String {
    let Some(room) = room else {
        return text.to_string();
    };
    if display_width(text) <= room {
        return text.to_string();
    }
    let mut fitted = String::new();
    let mut width = 0;
    for word in text.split_inclusive(' ') {
        let bare = word.trim_end();
        if width + display_width(bare) + 1 > room {
            break;
        }
        fitted.push_str(word);
        width += display_width(word);
    }
    // A cut never ends on a separator (`Source ·…`).
    let mut fitted = fitted
        .trim_end()
        .trim_end_matches(['·', '—', '|'])
        .trim_end()
        .to_string();
    let wide_script = text
        .chars()
        .next()
        .is_some_and(|c| display_width(c.encode_utf8(&mut [0; 4])) == 2);
    if fitted.is_empty() && wide_script {
        // Scripts written without spaces (Chinese, Japanese) are cut between characters.
        for c in text.chars() {
            width += display_width(c.encode_utf8(&mut [0; 4]));
            if width + 1 > room {
                break;
            }
            fitted.push(c);
        }
    }
    if fitted.is_empty() {
        return String::new();
    }
    format!("{fitted}…")
}

/// The `range` of `text` with the highlighted parts coloured, made safe for a terminal.
fn mark(
    style: &TextStyle,
    text: &str,
    range: std::ops::Range<usize>,
    highlights: &[[usize; 2]],
) -> String {
    if !style.color {
        return escape(&text[range]).into_owned();
    }
    let mut marked = String::with_capacity(range.len() + 16);
    let mut cursor = range.start;
    for &[start, end] in highlights {
        if start < cursor
            || end < start
            || end > range.end
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        marked.push_str(&escape(&text[cursor..start]));
        marked.push_str(MATCH);
        marked.push_str(&escape(&text[start..end]));
        marked.push_str(RESET);
        cursor = end;
    }
    marked.push_str(&escape(&text[cursor..range.end]));
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::{Date, Month};

    fn hit(passage: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            article: "a".into(),
            path: "/data/corpus/a.txt".into(),
            path_bytes: b"/data/corpus/a.txt".to_vec(),
            part: None,
            lines: [3, 5],
            // The second paragraph starts on line 5.
            line_map: match passage.find('\n') {
                Some(at) => LineMap::decode(&[at as u8 + 1, 5]),
                None => LineMap::default(),
            },
            pages: PageMap::default(),
            title: Some("A Title".into()),
            source: Some("The Paper".into()),
            author: Some("Ann Writer".into()),
            date: Date::from_calendar_date(2020, Month::February, 15).ok(),
            date_origin: Some(crate::article::DateOrigin::Text),
            passage: passage.into(),
            highlights,
            article_matches: Some(4),
            copies: Vec::new(),
            copies_total: 0,
            completed_from: Vec::new(),
            explanation: None,
        }
    }

    fn style(width: Option<usize>) -> TextStyle {
        TextStyle {
            color: false,
            width,
            relative_to: Some(PathBuf::from("/data")),
        }
    }

    fn render(style: &TextStyle, hit: &Hit, full: bool) -> String {
        let mut out = Vec::new();
        write_grouped(&mut out, style, std::slice::from_ref(hit), full).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compact_view_has_a_header_a_labelled_line_and_what_is_left() {
        let text = render(
            &style(Some(80)),
            &hit("First para.\nSecond para has oil.", vec![[28, 31]]),
            false,
        );
        assert_eq!(
            text,
            "corpus/a.txt  2020-02-15  The Paper · Ann Writer — A Title\n  \
             5: Second para has oil.\n  + 3 more passages\n\n"
        );
    }

    #[test]
    fn the_copies_of_a_story_are_named_under_it_the_first_few() {
        let copy =
            |path: &str, part: Option<&str>, original: bool| crate::index::searcher::OtherCopy {
                article: crate::list::Listed {
                    article: "x".into(),
                    path: path.into(),
                    path_bytes: path.as_bytes().to_vec(),
                    part: part.map(Into::into),
                    title: None,
                    source: None,
                    author: None,
                    date: None,
                    date_origin: None,
                },
                original,
            };
        let mut hit = hit("Oil rose.", vec![[0, 3]]);
        hit.copies = vec![
            copy("/data/corpus/b.html", None, true),
            copy("/data/mail/in.mbox", Some("3"), false),
        ];
        hit.copies_total = 2;
        let style = TextStyle {
            relative_to: Some("/data".into()),
            ..style(None)
        };
        assert!(
            render(&style, &hit, false).ends_with(
                "\n  also in 2 other files: corpus/b.html (original), mail/in.mbox#3\n\n"
            ),
            "{}",
            render(&style, &hit, false)
        );
        hit.completed_from = vec![("date", "/data/corpus/b.html".into())];
        assert!(
            render(&style, &hit, false)
                .ends_with("(original), mail/in.mbox#3\n  date from corpus/b.html\n\n"),
            "{}",
            render(&style, &hit, false)
        );
        hit.completed_from.clear();
        hit.copies.push(copy("/data/c.txt", None, false));
        hit.copies.push(copy("/data/d.txt", None, false));
        hit.copies_total = 40;
        assert!(render(&style, &hit, false).ends_with(
            "also in 40 other files: corpus/b.html (original), mail/in.mbox#3, c.txt, …\n\n"
        ));
    }

    #[test]
    fn full_view_labels_each_paragraph_with_its_line() {
        let text = render(
            &style(None),
            &hit("First para.\nSecond para.", vec![]),
            true,
        );
        assert_eq!(
            text,
            "corpus/a.txt  2020-02-15  The Paper · Ann Writer — A Title\n  \
             3  First para.\n\n  5  Second para.\n  + 3 more passages\n\n"
        );
    }

    #[test]
    fn the_header_is_cut_between_words_never_the_path() {
        let mut long = hit("Text.", vec![]);
        long.title = Some("A very long title that goes on and on well past the edge".into());
        let text = render(&style(Some(60)), &long, false);
        let header = text.lines().next().unwrap();
        assert_eq!(
            header,
            "corpus/a.txt  2020-02-15  The Paper · Ann Writer — A very…"
        );
        let text = render(&style(Some(20)), &long, false);
        assert_eq!(text.lines().next().unwrap(), "corpus/a.txt  2020-02-15");
        assert_eq!(fit("The Paper · Ann Writer", Some(12)), "The Paper…");
        assert!(fit("word", Some(2)).is_empty());
    }

    #[test]
    fn colour_marks_matches_in_the_right_paragraph() {
        let colour = TextStyle {
            color: true,
            ..style(None)
        };
        let text = render(
            &colour,
            &hit("oil here\nmore oil", vec![[0, 3], [14, 17]]),
            true,
        );
        assert!(
            text.contains(&format!("{MATCH}oil{RESET} here\n")),
            "{text:?}"
        );
        assert!(
            text.contains(&format!("more {MATCH}oil{RESET}\n")),
            "{text:?}"
        );
    }

    #[test]
    fn wrapping_keeps_the_indent() {
        let text = render(
            &style(Some(20)),
            &hit("one two three four five six seven eight", vec![]),
            true,
        );
        let body: Vec<&str> = text
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("  +"))
            .collect();
        assert!(body.len() > 1);
        assert!(
            body.iter()
                .all(|l| l.starts_with("  ") && l.chars().count() <= 20)
        );
    }

    #[test]
    fn lines_and_vimgrep_name_the_line_and_column() {
        let mut out = Vec::new();
        let hits = [hit("First para.\nSecond para has oil.", vec![[28, 31]])];
        write_lines(&mut out, &style(None), &hits, false).unwrap();
        write_lines(&mut out, &style(None), &hits, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/a.txt:5: Second para has oil.\ncorpus/a.txt:5:17: Second para has oil.\n"
        );
    }

    #[test]
    fn terminal_escapes_in_articles_are_neutralised() {
        let text = render(&style(None), &hit("evil \x1b[2J text", vec![]), true);
        assert!(!text.contains('\x1b'));
        assert!(text.contains("evil \\u{1b}[2J text"));
        let text = render(&style(None), &hit("price \u{202e}001$", vec![]), false);
        assert!(text.contains("price \\u{202e}001$"), "{text}");
    }

    #[test]
    fn highlights_that_do_not_fit_the_passage_are_ignored() {
        let colour = TextStyle {
            color: true,
            ..style(None)
        };
        let bad = vec![[6, 5], [1, 99], [2, 3]];
        let text = render(&colour, &hit("née oil", bad), true);
        assert!(
            text.contains("née oil\n") && !text.contains(MATCH),
            "{text:?}"
        );
    }
}
