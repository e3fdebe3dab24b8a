//! Command-line arguments, as parsed by clap. Commands turn these into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use tantivy::time::Date;

use crate::index::filters::{End, Filters, Sort, parse_day};
use crate::index::searcher::Copies;
use crate::list::ListOrder;
use crate::output::{Format, InspectFormat};
use crate::query::Syntax;

#[derive(Debug, Parser)]
#[command(
    name = "quarry",
    version,
    about = "Full-text search for folders of articles: index once, then ask for passages.",
    after_help = "Examples:\n  \
        quarry index ~/articles\n  \
        quarry query \"maximum pressure\"\n  \
        quarry query --format json 'title:iran sanctions' | jq .hits[0].path"
)]
pub struct Cli {
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(subcommand)]
    pub command: Command,
}

/// How much quarry says on stderr besides results and errors.
#[derive(Debug, Clone, Copy, Args)]
pub struct Verbosity {
    /// Print nothing but results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is going on (files indexed, time per query)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index the articles (.txt, .md, .markdown, .html, .htm, .docx, .odt, .epub, .eml, .mbox,
    /// .pdf)
    /// under folders or files; only what changed since the last run is read again.
    #[command(after_help = "Examples:\n  \
        quarry index corpus\n  \
        quarry index --index /tmp/news-index ~/news ~/more-news\n  \
        quarry index                       # update every folder the index holds\n  \
        quarry index --rebuild ~/news      # start again from an empty index")]
    Index(IndexArgs),
    /// Search the index and print the best passages.
    #[command(
        after_help = "Query language: words (any may match; more matches rank higher), \
        \"exact phrases\", +required and -excluded (in the article), AND / OR / NOT, (groups), \
        word* (prefix), word~1 (one edit away), fields title: author: source: text: (any case), \
        date:2020-01..2020-06. Other text is words: `Note: oil`, `10:30` and URLs are searched \
        as the words they hold; --syntax plain turns all operators off. Quote a query with a \
        -word (quarry query 'iran -oil'), or the shell hands quarry -oil as options.\n\n\
        Examples:\n  \
        quarry query maximum pressure\n  \
        quarry query '\"maximum pressure\"' ~/news/2020/     # a phrase, in one folder\n  \
        quarry query -l sanctions | xargs ls -l             # paths of matching articles\n  \
        quarry query -c 'iran -oil'                         # how many passages and articles\n  \
        vim -q <(quarry query --vimgrep Soleimani)\n  \
        quarry query '+Soleimani title:iran' --full --limit 3\n  \
        quarry query --format jsonl sanctions oil | jq -r .snippet.text\n  \
        quarry query --since 2020-01 --until 2020 --source 'new york' --sort newest iran\n  \
        quarry query --batch queries.txt --format jsonl --per-article 1 > results.jsonl\n  \
        quarry query --batch topics.txt --format trec --limit 100 > run.trec"
    )]
    Query(QueryArgs),
    /// Show what quarry understands of one file: metadata and passages, as it would index them.
    #[command(
        after_help = "Metadata that is wrong or missing can be supplied in NAME.meta.json \
        beside the file, or in metadata.jsonl / metadata.csv (keyed by \"path\") in its folder or \
        any folder above.\n\n\
        Examples:\n  \
        quarry inspect corpus/000_ed4d33544a02b803.txt\n  \
        quarry inspect --format json article.html | jq .date_origin"
    )]
    Inspect(InspectArgs),
    /// Describe the index: articles, passages, roots, sources, dates, size, last update.
    #[command(after_help = "Examples:\n  \
        quarry stats\n  \
        quarry stats --format json | jq '.sources[:5]'")]
    Stats(StatsArgs),
    /// Verify the index: every file's checksum, and that it opens and reads.
    #[command(
        after_help = "Exits 0 when the index is sound, 2 when it is damaged (the damaged \
        files are named, with how to rebuild).\n\n\
        Examples:\n  \
        quarry check\n  \
        quarry check --index ~/archive-index"
    )]
    Check(CheckArgs),
    /// List the folders (and files) the index holds: articles, last update, whether each is
    /// there.
    #[command(after_help = "Examples:\n  \
        quarry roots\n  \
        quarry roots --format json | jq -r '.[] | select(.state == \"missing\") | .path'")]
    Roots(RootsArgs),
    /// List the indexed articles with their metadata, narrowed by the query filters.
    #[command(after_help = "Examples:\n  \
        quarry list --undated                # articles whose date was not found\n  \
        quarry list --source reuters --since 1987-03 --sort newest\n  \
        quarry list --format jsonl | jq -r 'select(.author == null) | .path'")]
    List(ListArgs),
    /// List the groups of copies: articles whose text is mostly another's (a story reposted,
    /// saved twice, kept as HTML and as PDF), largest group first.
    #[command(after_help = "Exits 1 when there are none.\n\n\
        Examples:\n  \
        quarry copies                         # every group\n  \
        quarry copies ~/news/2020/strike.html # the copies of one file\n  \
        quarry copies --format jsonl | jq -r '.articles[1:][].path'   # all but one of each")]
    Copies(CopiesArgs),
    /// Take folders or files out of the index, with their articles (the files stay on disk).
    #[command(after_help = "Examples:\n  \
        quarry forget /mnt/old-drive/news   # a folder that is gone\n  \
        quarry forget ~/news/drafts         # a part of a folder")]
    Forget(ForgetArgs),
    /// Score the ranking against relevance judgments: nDCG@k, Recall@100, MRR@10, MAP.
    #[command(
        after_help = "Each query is run with one result per article (its best passage), and \
        the article ranking is scored with trec_eval's semantics.\n\n\
        Examples:\n  \
        quarry index --index /tmp/scifact ../shared/datasets/scifact/articles\n  \
        quarry eval --index /tmp/scifact --queries ../shared/datasets/scifact/queries.jsonl \\\n      \
        --qrels ../shared/datasets/scifact/qrels/test.tsv"
    )]
    Eval(EvalArgs),
    /// Print a shell completion script.
    #[command(after_help = "Examples:\n  \
        quarry completions bash > ~/.local/share/bash-completion/completions/quarry\n  \
        quarry completions zsh > ~/.zfunc/_quarry\n  \
        quarry completions fish > ~/.config/fish/completions/quarry.fish")]
    Completions(CompletionsArgs),
}

/// Where the index is.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index folder [default: $QUARRY_INDEX, else the platform data folder,
    /// e.g. ~/.local/share/quarry/index]
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Start from an empty index (also the way out of a damaged or incompatible one)
    #[arg(long)]
    pub rebuild: bool,
    /// If another `quarry index` is writing the index, wait for it instead of failing
    #[arg(long)]
    pub wait: bool,
    /// Leave out (and report) files larger than SIZE: bytes, or with K, M or G (1024-based);
    /// at most 4G
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_file_size)]
    pub max_file_size: u64,
    /// Commit at least every SECONDS during a long run, so an interrupted run keeps its work
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = at_least_one)]
    pub commit_interval: u64,
    /// Leave out files and folders matching GLOB (gitignore syntax, relative to each PATH);
    /// repeatable, and remembered by the index until given other globs
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Forget the remembered --exclude globs
    #[arg(long, conflicts_with = "exclude")]
    pub no_exclude: bool,
    /// Follow symbolic links to files and folders (a link to a folder it is in is not walked
    /// again; a file reached twice is indexed once). Remembered by the index
    #[arg(long)]
    pub follow_links: bool,
    /// Stop following symbolic links
    #[arg(long, conflicts_with = "follow_links")]
    pub no_follow_links: bool,
    /// Folders (walked recursively) or single files to index; indexing them again updates
    /// what changed. Without PATH, every folder the index already holds is updated
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Parses `64M`, `1G`, `500K`, `123` into bytes.
/// The largest file read as an article: positions in its text are kept as 32-bit numbers.
const FILE_SIZE_MAX: u64 = 4 << 30;
/// What `--max-file-size` is when not given (`64M`); also the largest message of a mailbox
/// `quarry inspect` reads.
pub const MAX_FILE_SIZE_DEFAULT: u64 = 64 << 20;

fn parse_file_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let invalid = || format!("`{text}` is not a size: use bytes, or a number with K, M or G");
    let lower = text.to_ascii_lowercase();
    let digits = lower.trim_end_matches(['b', 'i']);
    let (number, unit) = match digits.char_indices().last() {
        Some((at, unit @ ('k' | 'm' | 'g'))) => (&digits[..at], unit),
        _ => (digits, ' '),
    };
    let shift = match unit {
        'k' => 10,
        'm' => 20,
        'g' => 30,
        _ => 0,
    };
    let value: u64 = number.trim().parse().map_err(|_| invalid())?;
    let size = value.checked_mul(1 << shift).ok_or_else(invalid)?;
    if size > FILE_SIZE_MAX {
        return Err(format!(
            "`{text}` is over 4G, the largest article quarry reads"
        ));
    }
    Ok(size)
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Number of results: articles in text output, passages in the other formats
    /// [default: 10; with -l, every matching article]
    #[arg(short = 'n', long, value_name = "N", value_parser = at_least_one)]
    pub limit: Option<u64>,
    /// Skip this many of the best results first (for paging), counted as --limit counts
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: u64,
    /// Output format (trec: one line per article, its best passage)
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// At most N passages of one article [default in text output: 3]
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub per_article: Option<u64>,
    /// Copies of one story (reposted, saved twice, kept as HTML and PDF): one result, the
    /// original's, naming the others (collapse), or each a result of its own (show)
    #[arg(long, value_enum, default_value_t = Copies::Collapse, value_name = "HOW")]
    pub copies: Copies,
    /// Whole passages, grouped by article, paragraphs apart (instead of a line of context
    /// per passage)
    #[arg(long, group = "view")]
    pub full: bool,
    /// Print only the paths of the matching files, best first (a mailbox once for all its
    /// messages)
    #[arg(short = 'l', long, group = "view")]
    pub files_with_matches: bool,
    /// Print how many passages, of how many articles (and stories, when some are copies of one
    /// story), match in the whole index
    #[arg(short = 'c', long, group = "view")]
    pub count: bool,
    /// A line per passage as `path:line:column: text`, the form vim's quickfix list reads
    #[arg(long, group = "view")]
    pub vimgrep: bool,
    /// Group results by article under a header even in a pipe (the default on a terminal)
    #[arg(long, overrides_with = "no_heading")]
    pub heading: bool,
    /// A `path:line: text` line per passage even on a terminal (the default in a pipe)
    #[arg(long, overrides_with = "heading")]
    pub no_heading: bool,
    /// Fit text output to COLS columns [default: the terminal's width]
    #[arg(long, value_name = "COLS", value_parser = columns)]
    pub width: Option<u64>,
    /// Print straight to the terminal, without $QUARRY_PAGER, $PAGER or less
    #[arg(long)]
    pub no_pager: bool,
    /// Run the queries of FILE, one per line (`-` for standard input): plain text, or JSON
    /// objects {"id", "query", "limit", "since", "until", "source", "author", ...}
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Threads for --batch [default: all cores]
    #[arg(long, value_name = "N", value_parser = thread_count)]
    pub threads: Option<u64>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of results
    #[arg(long, value_enum, default_value_t = Sort::Relevance)]
    pub sort: Sort,
    /// Show how each passage's score was made (whole passages, in text output)
    #[arg(long)]
    pub explain: bool,
    /// How the query is read: the query language, or plain words (no operators, fields,
    /// phrases, prefixes)
    #[arg(long, value_enum, default_value_t = Syntax::Query)]
    pub syntax: Syntax,
    #[command(flatten)]
    pub color: ColorArg,
    /// The query, then optionally PATHs: folders or files (written with a `/`, like
    /// `news/` or `./a.txt`) whose articles alone are searched, as with --in
    #[arg(required_unless_present = "batch", value_name = "QUERY [PATH]")]
    pub query: Vec<std::ffi::OsString>,
}

/// Which articles a query or a listing may return.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = first_day)]
    pub since: Option<Date>,
    /// Only articles dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD, whole period included)
    #[arg(long, value_name = "DATE", value_parser = last_day)]
    pub until: Option<Date>,
    /// With --since/--until, keep undated articles too
    #[arg(long)]
    pub include_undated: bool,
    /// Only articles whose source contains TEXT (any case)
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Only articles whose author contains TEXT (any case)
    #[arg(long, value_name = "TEXT")]
    pub author: Option<String>,
    /// Only articles in the folder (or the file) PATH; repeatable
    #[arg(long = "in", value_name = "PATH")]
    pub within: Vec<PathBuf>,
}

impl FilterArgs {
    /// The filters, with `extra_places` (PATH arguments) added to `--in`'s.
    pub fn filters(&self, extra_places: &[PathBuf]) -> anyhow::Result<Filters> {
        for place in &self.within {
            if !place.exists() {
                crate::messages::warn(&format!(
                    "--in {}: no such file or folder here; the index is searched for what it \
                     held there",
                    crate::paths::path_text(place)
                ));
            }
        }
        let within = self
            .within
            .iter()
            .chain(extra_places)
            .map(|place| crate::roots::absolute(place))
            .collect::<anyhow::Result<_>>()?;
        Ok(Filters {
            since: self.since,
            until: self.until,
            include_undated: self.include_undated,
            source: self.source.clone(),
            author: self.author.clone(),
            within,
        })
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format: a line per article, or a JSON object per article and line
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only the articles without a date
    #[arg(long, conflicts_with_all = ["since", "until", "include_undated"])]
    pub undated: bool,
    /// Order of the list
    #[arg(long, value_enum, default_value_t = ListOrder::Path)]
    pub sort: ListOrder,
}

#[derive(Debug, Args)]
pub struct CopiesArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format: each group's articles a line each, or a JSON object per group and line
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Only the groups with an article in this file or folder
    #[arg(value_name = "PATH")]
    pub place: Option<PathBuf>,
    /// Copies share at least this much of the shorter article's text, 0 to 1 (lower finds
    /// more, and more stories that merely look alike)
    #[arg(long, value_name = "SHARE", default_value_t = crate::copies::COPY_MIN_CONTAINMENT,
          value_parser = share)]
    pub min_overlap: f64,
}

fn share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!(
            "`{text}` is not a share: use a number from 0 to 1, such as 0.8"
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = InspectFormat::Text)]
    pub format: InspectFormat,
    #[command(flatten)]
    pub color: ColorArg,
    /// The article file (.txt, .md, .markdown, .html, .htm, .docx, .odt, .epub, .eml, .mbox,
    /// .pdf); each article of a mailbox and each attachment in turn
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
}

#[derive(Debug, Args)]
pub struct RootsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Folders or files to take out: roots, folders inside them, single files; gone from disk
    /// or not
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub location: IndexLocation,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Queries to run: BEIR queries.jsonl ({"_id", "text"}) or the --batch line format
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "run",
        conflicts_with = "run"
    )]
    pub queries: Option<PathBuf>,
    /// Score this TREC run file (`QID Q0 DOC RANK SCORE TAG`, from any engine) instead of
    /// running queries; every judged query counts, 0 when the run has nothing for it
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Judgments: `query-id corpus-id score` (BEIR TSV, header allowed) or TREC qrels
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// How topics are read: as prose (plain: judged topics are sentences, whose `-`, `:`
    /// and capitals are no operators) or in the query language
    #[arg(long, value_enum, default_value_t = Syntax::Plain)]
    pub syntax: Syntax,
    /// The cutoff of nDCG
    #[arg(long, default_value_t = 10, value_name = "K", value_parser = cutoff)]
    pub k: u64,
    /// Also give the measures of each query
    #[arg(long)]
    pub per_query: bool,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ColorArg {
    /// When to colour text output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long = "color", value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub choice: ColorChoice,
}

/// A usage error as clap words it, with a hint where a query's `-word` was taken for options.
pub fn usage_error(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let query_command = err
        .context()
        .any(|(_, value)| value.to_string().contains("quarry query"));
    if err.kind() == clap::error::ErrorKind::UnknownArgument && query_command {
        return format!(
            "{text}\nA word after a dash excludes it from the query: put the query in quotes \
             (quarry query 'iran -oil') or after -- (quarry query -- iran -oil).\n"
        );
    }
    text
}

/// Counts of things: 1 or more.
fn at_least_one(text: &str) -> Result<u64, String> {
    whole_number(text, 1, u64::MAX)
}

fn thread_count(text: &str) -> Result<u64, String> {
    whole_number(text, 1, 1024)
}

fn columns(text: &str) -> Result<u64, String> {
    whole_number(text, 20, 10_000)
}

fn cutoff(text: &str) -> Result<u64, String> {
    whole_number(text, 1, 1000)
}

/// A whole number from `min` to `max`, refused in words a user reads (clap's own ranges say
/// "0 is not in 1..18446744073709551615").
fn whole_number(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let number: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    match (number < min || number > max, max) {
        (false, _) => Ok(number),
        (true, u64::MAX) => Err(format!("must be at least {min}")),
        (true, _) => Err(format!("must be from {min} to {max}")),
    }
}

fn first_day(text: &str) -> Result<Date, String> {
    parse_day(text, End::First)
}

fn last_day(text: &str) -> Result<Date, String> {
    parse_day(text, End::Last)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_dates_are_refused() {
        assert!(Cli::try_parse_from(["quarry", "query", "--since", "2020-13", "x"]).is_err());
        assert!(Cli::try_parse_from(["quarry", "query", "--until", "2020-02", "x"]).is_ok());
    }

    #[test]
    fn a_query_or_a_batch_is_needed_not_both() {
        assert!(Cli::try_parse_from(["quarry", "query"]).is_err());
        assert!(Cli::try_parse_from(["quarry", "query", "--batch", "-"]).is_ok());
        assert!(Cli::try_parse_from(["quarry", "query", "--batch", "-", "oil"]).is_err());
    }

    #[test]
    fn verbosity_goes_anywhere() {
        let cli = Cli::try_parse_from(["quarry", "index", "-q", "corpus"]).unwrap();
        assert!(cli.verbosity.quiet);
        assert!(Cli::try_parse_from(["quarry", "-q", "-v", "stats"]).is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_file_size("64M"), Ok(MAX_FILE_SIZE_DEFAULT));
        assert_eq!(parse_file_size("64MB"), Ok(64 << 20));
        assert_eq!(parse_file_size("1g"), Ok(1 << 30));
        assert_eq!(parse_file_size("500KiB"), Ok(500 << 10));
        assert_eq!(parse_file_size("123"), Ok(123));
        assert_eq!(parse_file_size("4G"), Ok(4 << 30));
        assert!(parse_file_size("5G").is_err());
        for bad in ["", "M", "12X", "-5", "99999999999G"] {
            assert!(parse_file_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_numbers_say_their_range() {
        assert_eq!(at_least_one("3"), Ok(3));
        assert_eq!(at_least_one("0"), Err("must be at least 1".to_string()));
        assert_eq!(
            thread_count("1025"),
            Err("must be from 1 to 1024".to_string())
        );
        assert_eq!(cutoff("1000"), Ok(1000));
        assert_eq!(
            at_least_one("-1"),
            Err("`-1` is not a whole number".to_string())
        );
    }

    #[test]
    fn limit_zero_is_refused() {
        assert!(Cli::try_parse_from(["quarry", "query", "--limit", "0", "x"]).is_err());
    }
}
