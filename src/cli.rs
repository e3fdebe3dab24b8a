//! Command-line arguments, as parsed by clap. Commands turn these into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index the articles (.txt, .md, .markdown, .html, .htm) under folders or files.
    #[command(after_help = "Examples:\n  \
        quarry index corpus\n  \
        quarry index --index /tmp/news-index ~/news ~/more-news")]
    Index(IndexArgs),
    /// Search the index and print the best passages.
    #[command(
        after_help = "Query language: words (any may match; more matches rank higher), \
        \"exact phrases\", +required, -excluded, AND / OR / NOT, (groups), title:word.\n\n\
        Examples:\n  \
        quarry query \"maximum pressure\"\n  \
        quarry query '+Soleimani title:iran' --limit 3\n  \
        quarry query --format jsonl sanctions oil | jq -r .path"
    )]
    Query(QueryArgs),
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
    /// Folders (walked recursively) or single files to index; indexing a folder again replaces
    /// what the index held for it
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Number of passages to show
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,
    /// Skip this many of the best passages first (for paging)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: u64,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to colour text output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// The query; several words are joined with spaces
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
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
    fn limit_zero_is_refused() {
        assert!(Cli::try_parse_from(["quarry", "query", "--limit", "0", "x"]).is_err());
    }
}
