//! Untrusted text through every printer: no output may hold a character a terminal acts on
//! (beyond the line breaks and tabs a format puts there itself), TSV and TREC lines keep their
//! columns, and JSON reads back the same strings.
//!
//! `cargo +nightly fuzz run -O escape -- -max_total_time=600 -jobs=1`

#![no_main]

use libfuzzer_sys::arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use quarry::output::{Format, Printer, QueryRecord, TextStyle, escape, write_json_line};
use quarry::index::searcher::Hit;
use serde_json::Value;

/// The colours the text printer writes itself.
const COLOURS: [&str; 5] = ["\x1b[0m", "\x1b[35m", "\x1b[32m", "\x1b[1m", "\x1b[1;31m"];

/// What must never reach a terminal raw, as the issue lists it (written apart from the
/// sanitiser's own list, so that the two check each other).
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        )
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Checks the lines of `output` (the line feeds between them are the format's own).
fn assert_inert(output: &str, what: &str) {
    if let Some(c) = output.chars().find(|&c| c != '\n' && forbidden(c)) {
        panic!("{what}: {c:?} in {output:?}");
    }
}

struct Input {
    id: String,
    query: Option<String>,
    error: Option<String>,
    hit: Hit,
    width: Option<u8>,
}

fn input(u: &mut Unstructured) -> Result<Input> {
    let hit = Hit {
        rank: usize::arbitrary(u)?,
        score: f32::arbitrary(u)?,
        article: String::arbitrary(u)?,
        path: String::arbitrary(u)?,
        path_bytes: Vec::arbitrary(u)?,
        lines: <[u32; 2]>::arbitrary(u)?,
        title: Option::arbitrary(u)?,
        source: Option::arbitrary(u)?,
        author: Option::arbitrary(u)?,
        date: None,
        date_origin: None,
        passage: String::arbitrary(u)?,
        highlights: Vec::arbitrary(u)?,
        explanation: None,
    };
    Ok(Input {
        id: String::arbitrary(u)?,
        query: Option::arbitrary(u)?,
        error: Option::arbitrary(u)?,
        width: Option::arbitrary(u)?,
        hit,
    })
}

fn print(format: Format, style: TextStyle, record: &QueryRecord) -> String {
    let mut printer = Printer::new(format, style, true);
    let mut out = Vec::new();
    printer.write(&mut out, record).expect("writing to memory");
    String::from_utf8(out).expect("printers write UTF-8")
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = input(&mut u) else { return };
    let hit = &input.hit;

    // The sanitiser alone: nothing forbidden left, and escaping is done once and for all.
    for text in [&input.id, &hit.passage] {
        let escaped = escape(text);
        assert!(!escaped.contains(forbidden), "{escaped:?}");
        assert_eq!(escape(&escaped), escaped);
        // JSON of any string: no raw control at all, and the same string read back.
        let mut json = Vec::new();
        write_json_line(&mut json, text).expect("writing to memory");
        let json = String::from_utf8(json).expect("JSON is UTF-8");
        let body = json.strip_suffix('\n').expect("one line");
        assert!(!body.contains(['\n', '\t']), "{body:?}");
        assert_inert(body, "json string");
        assert_eq!(
            &serde_json::from_str::<String>(body).expect("valid JSON"),
            text
        );
    }

    // A query that failed has no hits.
    let hits = match input.error {
        Some(_) => &[][..],
        None => std::slice::from_ref(hit),
    };
    let record = QueryRecord {
        id: &input.id,
        query: input.query.as_deref(),
        took_ms: 1.0,
        hits,
        error: input.error.as_deref(),
    };
    let style = TextStyle {
        color: true,
        width: input.width.map(usize::from),
        relative_to: None,
    };

    let mut text = print(Format::Text, style, &record);
    for colour in COLOURS {
        text = text.replace(colour, "");
    }
    assert_inert(&text, "text");

    let tsv = print(Format::Tsv, TextStyle::default(), &record);
    assert_inert(&tsv, "tsv");
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 1 + hits.len(), "{tsv:?}");
    assert!(
        lines.iter().all(|line| line.split('\t').count() == 13),
        "{tsv:?}"
    );

    let trec = print(Format::Trec, TextStyle::default(), &record);
    assert_inert(&trec, "trec");
    for line in trec.lines() {
        let columns: Vec<&str> = line.split(' ').collect();
        assert_eq!(columns.len(), 6, "{line:?}");
        assert!(
            columns
                .iter()
                .all(|column| !column.is_empty() && !column.contains(char::is_whitespace)),
            "{line:?}"
        );
    }

    let json = print(Format::Json, TextStyle::default(), &record);
    assert_inert(&json, "json");
    let parsed: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed["id"], input.id.as_str());
    if input.error.is_none() {
        assert_eq!(parsed["hits"][0]["passage"], hit.passage.as_str());
        assert_eq!(parsed["hits"][0]["path"], hit.path.as_str());
        let bytes_shown = parsed["hits"][0].get("path_bytes").is_some();
        assert_eq!(bytes_shown, std::str::from_utf8(&hit.path_bytes).is_err());
    }

    let jsonl = print(Format::Jsonl, TextStyle::default(), &record);
    assert_inert(&jsonl, "jsonl");
    for line in jsonl.lines() {
        let parsed: Value = serde_json::from_str(line).expect("valid JSON line");
        assert_eq!(parsed["id"], input.id.as_str());
    }
});
