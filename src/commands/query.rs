//! `quarry query`: search the index and print passages, for one query or a batch.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Instant;

use anyhow::{Context, Result};
use crossbeam_channel as channel;

use super::{Outcome, text_style};
use crate::batch::{self, BatchQuery};
use crate::cli::{QueryArgs, Verbosity};
use crate::index::searcher::{Detail, Request, Results, Searcher, Unit};
use crate::index::store;
use crate::output::{Format, Printer, QueryRecord, View};
use crate::pager::Pager;

/// Results shown when --limit is not given.
const DEFAULT_LIMIT: u64 = 10;
/// Passages of an article shown in text output when --per-article is not given.
const PASSAGES_SHOWN: usize = 3;

/// How many batch queries may be read ahead of the printing.
const BATCH_WINDOW: usize = 1024;

pub fn run(args: &QueryArgs, verbosity: Verbosity) -> Result<Outcome> {
    refuse_idle_options(args)?;
    let (query, places) = query_and_places(&args.query)?;
    let location = store::locate(args.location.index.as_deref())?;
    let searcher = Searcher::open(&location)?;
    let terminal = std::io::stdout().is_terminal();
    let view = view(args, terminal);
    let defaults = request_from_args(args, view, query, &places)?;
    let mut style = text_style(args.color.choice);
    if let Some(width) = args.width {
        style.width = usize::try_from(width).ok();
    }
    let Some(path) = &args.batch else {
        let (results, took_ms) = timed(|| searcher.search(&defaults))?;
        warn(verbosity, "1", &results, took_ms);
        let record = QueryRecord {
            id: "1",
            query: Some(&defaults.query),
            took_ms,
            hits: &results.hits,
            matched: results.matched,
            error: None,
        };
        // Paged only once the search is done: an error must not land under the pager.
        let pages =
            terminal && !args.no_pager && args.format == Format::Text && view != View::Count;
        let mut pager = pages.then(Pager::start).flatten();
        {
            let sink: &mut dyn Write = match &mut pager {
                Some(pager) => pager,
                None => &mut std::io::stdout().lock(),
            };
            let mut out = BufWriter::new(sink);
            Printer::new(args.format, view, style, false).write(&mut out, &record)?;
            out.flush()?;
        }
        if let Some(pager) = pager {
            pager.finish()?;
        }
        let matched = match results.matched {
            Some(matched) => matched.passages > 0,
            None => !results.hits.is_empty(),
        };
        return Ok(if matched {
            Outcome::Success
        } else {
            Outcome::NoMatch
        });
    };
    let input: Box<dyn BufRead + Send> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = File::open(path)
            .and_then(|file| match file.metadata()?.is_dir() {
                true => Err(std::io::Error::other("it is a folder")),
                false => Ok(file),
            })
            .with_context(|| format!("cannot read the batch {}", path.display()))?;
        Box::new(BufReader::new(file))
    };
    let threads = args.threads.map_or_else(
        || thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let printer = Printer::new(args.format, view, style, true);
    let trec = args.format == Format::Trec;
    let batch = Batch {
        search: &|request| searcher.search(request),
        defaults: &defaults,
        trec,
        threads,
        verbosity,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let outcome = batch.run(input, printer, &mut out)?;
    out.flush()?;
    Ok(outcome)
}

/// What text output shows: chosen by the flags, else grouped by article on a terminal and a
/// line per passage in a pipe.
fn view(args: &QueryArgs, terminal: bool) -> View {
    if args.count {
        View::Count
    } else if args.files_with_matches {
        View::Paths
    } else if args.vimgrep {
        View::Vimgrep
    } else if args.full || args.explain {
        View::Full
    } else if args.heading || (terminal && !args.no_heading) {
        View::Compact
    } else {
        View::Lines
    }
}

/// The query's words, and the PATHs after them: trailing words that name a file or folder
/// that exists and are written as paths are (with a `/`, or `.` and `..`). A last word that
/// only names a folder here is searched, with a warning saying how to search in it.
fn query_and_places(arguments: &[OsString]) -> Result<(String, Vec<PathBuf>)> {
    let is_place = |word: &OsString| {
        let text = word.to_string_lossy();
        (text.contains('/') || text == "." || text == "..") && Path::new(word).exists()
    };
    // The first word is always the query's.
    let mut split = arguments.len();
    while split > 1 && is_place(&arguments[split - 1]) {
        split -= 1;
    }
    let places = arguments[split..].iter().map(PathBuf::from).collect();
    // A file name may be any bytes; a query is text.
    let words = arguments[..split]
        .iter()
        .map(|word| {
            word.to_str().map(str::to_string).ok_or_else(|| {
                anyhow::anyhow!(
                    "`{}` is not UTF-8 text, and names no file or folder here",
                    crate::output::escape(&word.to_string_lossy())
                )
            })
        })
        .collect::<Result<Vec<String>>>()?;
    let split = words.len();
    if let Some(last) = words[..split].last()
        && split > 1
        && !last.contains('/')
        && Path::new(last).is_dir()
    {
        crate::messages::warn(&format!(
            "`{}` is searched as a word; to search the articles in the folder of that name, \
             write `{}/` or use --in",
            crate::output::escape(last),
            crate::output::escape(last)
        ));
    }
    // A last word written as a path that names nothing here is searched, and said so.
    if let Some(last) = words[..split].last()
        && split > 1
        && (last.starts_with(['/', '~'])
            || last.starts_with("./")
            || last.starts_with("../")
            || (last.ends_with('/') && last.len() > 1))
        && !Path::new(last).exists()
    {
        crate::messages::warn(&format!(
            "`{}` names no file or folder here: it is searched as words",
            crate::output::escape(last)
        ));
    }
    Ok((words.join(" "), places))
}

/// Options the chosen output can't honour are refused rather than silently dropped.
fn refuse_idle_options(args: &QueryArgs) -> Result<()> {
    // Checked here, not by clap: its `requires` is waived while QUERY, which conflicts with
    // --batch, is given.
    if args.threads.is_some() && args.batch.is_none() {
        anyhow::bail!("--threads is for --batch: a single query runs on one thread");
    }
    // A batch line may bring its own dates, which the flag then applies to.
    let filters = &args.filters;
    if filters.include_undated
        && filters.since.is_none()
        && filters.until.is_none()
        && args.batch.is_none()
    {
        crate::messages::warn(
            "--include-undated does nothing without --since or --until: undated articles are \
             searched anyway",
        );
    }
    let text_only = [
        (args.files_with_matches, "-l prints paths"),
        (args.vimgrep, "--vimgrep prints its own lines"),
        (args.full, "--full is a layout of text output"),
        (args.heading, "--heading is a layout of text output"),
    ];
    for (given, what) in text_only {
        if given && args.format != Format::Text {
            anyhow::bail!(
                "{what}: it takes no --format (--format json and jsonl give every field)"
            );
        }
    }
    if args.batch.is_some() && (args.files_with_matches || args.vimgrep) {
        anyhow::bail!(
            "-l and --vimgrep print lines that do not say which query of a batch they answer:              use --format jsonl"
        );
    }
    if args.explain && (args.count || args.files_with_matches || args.vimgrep) {
        anyhow::bail!("--explain explains passages: -c, -l and --vimgrep show none");
    }
    let format = match args.format {
        Format::Tsv => "tsv",
        Format::Trec => "trec",
        _ => return Ok(()),
    };
    if args.count {
        anyhow::bail!("-c prints counts in text, json or jsonl, not in --format {format}");
    }
    if args.explain {
        anyhow::bail!(
            "--explain shows nothing in --format {format}: use --format text, json or jsonl"
        );
    }
    if format == "trec" && args.per_article.is_some() {
        anyhow::bail!(
            "--per-article does nothing in --format trec, which ranks articles (one line each)"
        );
    }
    Ok(())
}

/// The request the command line describes (for a batch: the defaults of every line).
fn request_from_args(
    args: &QueryArgs,
    view: View,
    query: String,
    places: &[PathBuf],
) -> Result<Request> {
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let per_article = args.per_article.map(count);
    let mut request = Request {
        query,
        syntax: args.syntax,
        filters: args.filters.filters(places)?,
        sort: args.sort,
        limit: count(args.limit.unwrap_or(DEFAULT_LIMIT)),
        offset: count(args.offset),
        unit: Unit::Passages,
        per_article,
        copies: args.copies,
        count: false,
        explain: args.explain,
        detail: Detail::Hits,
    };
    match (args.format, view) {
        (_, View::Count) => {
            request.limit = 0;
            request.count = true;
        }
        // A TREC run ranks articles: one line each, its id and score all it needs.
        (Format::Trec, _) => {
            request.per_article = Some(1);
            request.detail = Detail::Ranking;
        }
        (Format::Text, View::Paths) => {
            request.unit = Unit::Articles;
            request.per_article = Some(1);
            request.limit = args.limit.map_or(usize::MAX, count);
        }
        (Format::Text, _) => {
            request.unit = Unit::Articles;
            request.per_article = Some(per_article.unwrap_or(PASSAGES_SHOWN));
            // "N more passages" under each article.
            request.count = matches!(view, View::Compact | View::Full);
        }
        _ => {}
    }
    Ok(request)
}

fn timed(search: impl FnOnce() -> Result<Results>) -> Result<(Results, f64)> {
    let started = Instant::now();
    let results = search()?;
    Ok((results, started.elapsed().as_secs_f64() * 1000.0))
}

fn warn(verbosity: Verbosity, id: &str, results: &Results, took_ms: f64) {
    for warning in &results.warnings {
        crate::messages::warn(&format!("query {id}: {warning}"));
    }
    verbosity.detail(&format!(
        "query {id}: {} in {took_ms:.2} ms",
        crate::output::count(results.hits.len() as u64, "hit")
    ));
}

/// What every query of a batch shares.
struct Batch<'a> {
    /// Runs one query ([`Searcher::search`]).
    search: &'a (dyn Fn(&Request) -> Result<Results> + Sync),
    defaults: &'a Request,
    /// The output is a TREC run: one passage per article.
    trec: bool,
    threads: usize,
    verbosity: Verbosity,
}

/// A query of a batch, numbered in input order, with its outcome once run.
type Done = (usize, BatchQuery, Result<(Results, f64), String>);

impl Batch<'_> {
    /// Runs a batch: one thread reads and parses lines, `threads` workers search, and this
    /// thread prints the records in input order as soon as each is ready. At most
    /// [`BATCH_WINDOW`] queries are read ahead of the printing, so memory stays flat however
    /// long the batch, and output streams.
    fn run(
        &self,
        input: impl BufRead + Send,
        mut printer: Printer,
        out: &mut impl Write,
    ) -> Result<Outcome> {
        let (job_tx, job_rx) = channel::bounded::<(usize, BatchQuery)>(BATCH_WINDOW);
        let (done_tx, done_rx) = channel::unbounded::<Done>();
        let (permit_tx, permit_rx) = channel::bounded::<()>(BATCH_WINDOW);
        thread::scope(|scope| {
            let reader = scope.spawn(move || self.read(input, &permit_tx, &job_tx));
            for _ in 0..self.threads {
                let (job_rx, done_tx) = (job_rx.clone(), done_tx.clone());
                scope.spawn(move || {
                    for (seq, query) in job_rx {
                        let outcome = self.search(&query);
                        if done_tx.send((seq, query, outcome)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            let printed = self.print(&done_rx, &permit_rx, &mut printer, out);
            // On a failure to print (a closed pipe), let the reader and workers stop.
            drop(done_rx);
            drop(permit_rx);
            let read = reader
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the batch reader failed")));
            let failed = printed?;
            read?;
            Ok(if failed {
                Outcome::PartialFailure
            } else {
                Outcome::Success
            })
        })
    }

    /// Reads the batch line by line, sending each query to the workers with its number.
    fn read(
        &self,
        input: impl BufRead,
        permits: &channel::Sender<()>,
        jobs: &channel::Sender<(usize, BatchQuery)>,
    ) -> Result<()> {
        for (seq, query) in batch::queries(input, self.defaults).enumerate() {
            let query = query.context("cannot read the batch")?;
            if permits.send(()).is_err() || jobs.send((seq, query)).is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Runs one query of the batch. A failure of any kind, even a panic, is an error record
    /// for this query: the printer waits for every query in turn, so each must give one.
    fn search(&self, query: &BatchQuery) -> Result<(Results, f64), String> {
        let mut request = query.request.clone()?;
        if self.trec {
            request.per_article = Some(1);
        }
        let line = query.line;
        match crate::messages::catch_panic(|| timed(|| (self.search)(&request))) {
            Ok(outcome) => outcome.map_err(|err| format!("line {line}: {err:#}")),
            Err(_) => Err(format!(
                "line {line}: quarry failed on this query (a bug: please report it)"
            )),
        }
    }

    /// Prints outcomes in input order; returns whether any query failed.
    fn print(
        &self,
        done: &channel::Receiver<Done>,
        permits: &channel::Receiver<()>,
        printer: &mut Printer,
        out: &mut impl Write,
    ) -> Result<bool> {
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut failed = false;
        for (seq, query, outcome) in done {
            waiting.insert(seq, (query, outcome));
            while let Some((query, outcome)) = waiting.remove(&next) {
                failed |= outcome.is_err();
                self.print_one(&query, &outcome, printer, out)?;
                let _ = permits.recv();
                next += 1;
            }
            if done.is_empty() {
                out.flush()?;
            }
        }
        Ok(failed)
    }

    fn print_one(
        &self,
        query: &BatchQuery,
        outcome: &Result<(Results, f64), String>,
        printer: &mut Printer,
        out: &mut impl Write,
    ) -> Result<()> {
        let (hits, matched, took_ms, error) = match outcome {
            Ok((results, took_ms)) => {
                warn(self.verbosity, &query.id, results, *took_ms);
                (results.hits.as_slice(), results.matched, *took_ms, None)
            }
            Err(error) => {
                crate::messages::error(error);
                (&[][..], None, 0.0, Some(error.as_str()))
            }
        };
        let record = QueryRecord {
            id: &query.id,
            query: query.query.as_deref(),
            took_ms,
            hits,
            matched,
            error,
        };
        printer.write(out, &record)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TextStyle;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `lines` as a batch in which `search` stands for the index, with `threads` workers;
    /// fails rather than wait forever.
    fn run_batch(
        lines: String,
        threads: usize,
        search: &'static (dyn Fn(&Request) -> Result<Results> + Sync),
    ) -> (Outcome, Vec<serde_json::Value>) {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let defaults = Request {
                limit: 1,
                ..Request::new("")
            };
            let quiet = Verbosity {
                quiet: true,
                verbose: false,
            };
            let batch = Batch {
                search,
                defaults: &defaults,
                trec: false,
                threads,
                verbosity: quiet,
            };
            let style = TextStyle {
                color: false,
                width: None,
                relative_to: None,
            };
            let mut out = Vec::new();
            let printer = Printer::new(Format::Json, View::Lines, style, true);
            let outcome = batch.run(lines.as_bytes(), printer, &mut out).unwrap();
            let _ = tx.send((outcome, out));
        });
        let (outcome, out) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the batch ends");
        let records = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        (outcome, records)
    }

    /// A search with a bug: it panics on the query `boom`.
    fn panics_on_boom(request: &Request) -> Result<Results> {
        assert!(request.query != "boom", "a bug");
        Ok(Results {
            hits: Vec::new(),
            warnings: Vec::new(),
            matched: None,
        })
    }

    #[test]
    fn a_query_that_panics_is_an_error_record_and_the_batch_ends() {
        // More lines than the printer lets the reader get ahead by.
        let lines: String = (0..3 * BATCH_WINDOW)
            .map(|n| {
                if n == 10 {
                    "boom\n".into()
                } else {
                    format!("q{n}\n")
                }
            })
            .collect();
        for threads in [1, 4] {
            let (outcome, records) = run_batch(lines.clone(), threads, &panics_on_boom);
            assert_eq!(outcome, Outcome::PartialFailure);
            assert_eq!(records.len(), 3 * BATCH_WINDOW);
            let failed: Vec<_> = records
                .iter()
                .filter(|record| record["error"].is_string())
                .collect();
            assert_eq!(failed.len(), 1);
            assert_eq!(failed[0]["id"], "11");
            assert_eq!(
                failed[0]["error"],
                "line 11: quarry failed on this query (a bug: please report it)"
            );
        }
    }
}
