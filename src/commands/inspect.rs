//! `quarry inspect`: show what quarry understands of one file.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Outcome, text_style};
use crate::article::{self, Sidecars};
use crate::cli::InspectArgs;
use crate::formats::Format;
use crate::paths::path_text;
use crate::{messages, output};

pub fn run(args: &InspectArgs) -> Result<Outcome> {
    let path = args
        .file
        .canonicalize()
        .with_context(|| format!("cannot inspect {}", args.file.display()))?;
    let Some(format) = Format::of(&path) else {
        bail!(
            "{} is not an article quarry reads (.txt, .md, .markdown, .html, .htm)",
            args.file.display()
        );
    };
    let folder = path.parent().unwrap_or(Path::new("/"));
    let id = article::id(folder, &path);
    let sidecars = Sidecars::new(Box::new(|file, message| {
        messages::warn(&format!("{}: {message}", file.display()));
    }));
    let article = article::read(&path, id, format, &sidecars)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    for warning in &article.warnings {
        messages::warn(&format!("{}: {warning}", path_text(&path)));
    }
    let style = text_style(args.color.choice);
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_article(&mut out, args.format, &style, &article)?;
    out.flush()?;
    Ok(Outcome::Success)
}
