//! `quarry forget`: take folders or files out of the index (the files stay on disk).

use anyhow::Result;

use super::Outcome;
use crate::cli::ForgetArgs;
use crate::index::store::{self, Store, WriteOptions};
use crate::output::count;
use crate::paths::path_text;
use crate::roots;

pub fn run(args: &ForgetArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let (mut store, _lock) = Store::open_for_writing(&location, WriteOptions::default())?;
    for place in &args.paths {
        let forgotten = roots::forget(&mut store, place)?;
        let articles = count(forgotten.articles as u64, "article");
        crate::messages::note(&format!(
            "forgot {} ({articles}{})",
            path_text(place),
            if forgotten.roots > 0 {
                ", and it is no longer a root"
            } else {
                ""
            }
        ));
        if place.exists() {
            crate::messages::note(&format!(
                "{} is still on disk: `quarry index` of the folder holding it indexes it \
                 again unless .quarryignore or --exclude leaves it out",
                path_text(place)
            ));
        }
    }
    Ok(Outcome::Success)
}
