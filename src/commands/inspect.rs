//! `quarry inspect`: show what quarry understands of one file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Outcome, text_style};
use crate::article::{self, Article, Sidecars};
use crate::cli::{InspectArgs, MAX_FILE_SIZE_DEFAULT as MAX_MESSAGE_BYTES};
use crate::formats::Format;
use crate::output::InspectFormat;
use crate::paths::path_text;
use crate::{messages, output};

pub fn run(args: &InspectArgs) -> Result<Outcome> {
    let path = args
        .file
        .canonicalize()
        .with_context(|| format!("cannot inspect {}", args.file.display()))?;
    let regular = std::fs::metadata(&path).is_ok_and(|meta| meta.is_file());
    let format = Format::of(&path).or_else(|| regular.then(|| Format::sniffed(&path))?);
    let Some(format) = format else {
        bail!(
            "{} is not an article quarry reads ({}, or a mailbox without an extension)",
            args.file.display(),
            Format::EXTENSIONS.join(", ")
        );
    };
    let folder = path.parent().unwrap_or(Path::new("/"));
    let id = article::id(folder, &path);
    let style = text_style(args.color.choice);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut show = |article: &Article| -> Result<()> {
        for one in article.with_attached() {
            let place = article::part_path(&path, one.part.as_deref());
            for warning in &one.warnings {
                messages::warn(&format!("{}: {warning}", path_text(&place)));
            }
            if one.part.is_some() && args.format == InspectFormat::Text {
                writeln!(out)?;
            }
            output::write_article(&mut out, args.format, &style, one)?;
        }
        Ok(())
    };
    if format == Format::Mbox {
        let file =
            File::open(&path).with_context(|| format!("cannot read {}", args.file.display()))?;
        let mailbox = article::mailbox(BufReader::new(file), &path, &id, MAX_MESSAGE_BYTES);
        for message in mailbox {
            match message.with_context(|| format!("cannot read {}", args.file.display()))? {
                Ok(message) => show(&message)?,
                Err(left_out) => {
                    let place = article::part_path(&path, Some(&left_out.part));
                    messages::warn(&format!("{}: {}", path_text(&place), left_out.reason));
                }
            }
        }
    } else {
        let sidecars = Sidecars::new(Box::new(|file, message| {
            messages::warn(&format!("{}: {message}", file.display()));
        }));
        let article = article::read(&path, id, format, &sidecars)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        show(&article)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
