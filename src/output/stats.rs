//! Printing index statistics (`quarry stats`).

use std::io::{self, Write};

use tantivy::time::OffsetDateTime;

use super::escape;
use super::json::write_json_line;
use crate::index::stats::Stats;

/// How many sources the text output lists before summing up the rest.
const SOURCES_SHOWN: usize = 15;

pub fn write_json(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    write_json_line(out, stats)
}

pub fn write_text(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "index:     {}", escape(&stats.index))?;
    if stats.copy_groups == 0 {
        writeln!(out, "articles:  {}", stats.articles)?;
    } else {
        writeln!(
            out,
            "articles:  {} ({} stories: {} of copies, `quarry copies` lists them)",
            stats.articles,
            stats.stories,
            super::count(stats.copy_groups, "group")
        )?;
    }
    writeln!(out, "passages:  {}", stats.passages)?;
    let dates = match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "none".to_string(),
    };
    writeln!(
        out,
        "dates:     {dates} ({})",
        super::count(stats.undated_articles, "undated article")
    )?;
    writeln!(out, "size:      {}", human_size(stats.size_bytes))?;
    let updated = stats
        .updated
        .map_or_else(|| "unknown".to_string(), timestamp);
    writeln!(
        out,
        "updated:   {updated} by quarry {}",
        stats.quarry_version
    )?;
    writeln!(out, "roots:")?;
    for root in &stats.roots {
        writeln!(out, "  {:>7}  {}", root.articles, escape(&root.name))?;
    }
    writeln!(out, "sources:")?;
    for source in stats.sources.iter().take(SOURCES_SHOWN) {
        writeln!(out, "  {:>7}  {}", source.articles, escape(&source.name))?;
    }
    let rest = stats.sources.len().saturating_sub(SOURCES_SHOWN);
    if rest > 0 {
        writeln!(
            out,
            "  (and {rest} more sources; --format json lists them all)"
        )?;
    }
    writeln!(out, "  {:>7}  (no source)", stats.articles_without_source)
}

fn human_size(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < units.len() {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", units[unit])
    }
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub(super) fn timestamp(seconds: u64) -> String {
    let Ok(time) = OffsetDateTime::from_unix_timestamp(seconds as i64) else {
        return seconds.to_string();
    };
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        time.date(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_well() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(19 * 1024 * 1024 + 300_000), "19.3 MiB");
        assert_eq!(timestamp(1_582_000_000), "2020-02-18 04:26:40 UTC");
    }
}
