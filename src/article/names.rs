//! Recognising the names of people (bylines, bios) and of publications (attributions).

/// Little words that may stand inside a person's name: `Ursula von der Leyen`.
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "der", "den", "van", "von", "la", "le", "bin", "ibn", "al",
    "el", "y", "st.",
];

/// Words that end a publication's legal name but not its masthead: `The New York Times Company`.
const CORPORATE_SUFFIXES: &[&str] = &[
    " company",
    " co.",
    " co",
    " inc.",
    " inc",
    " llc",
    " ltd.",
    " ltd",
    " plc",
    " website",
    " web site",
    " site",
];

/// Splits a list of people (`A, B and C`) and keeps it only if every part is a person's name.
/// Names written in capitals are put in title case. Returns them joined by `, `.
pub fn people(list: &str) -> Option<String> {
    let normalized = list
        .replace(" & ", ", ")
        .replace(" and ", ", ")
        .replace(';', ",");
    let names: Vec<String> = normalized
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(person)
        .collect::<Option<_>>()?;
    (!names.is_empty()).then(|| names.join(", "))
}

/// A single person's name (two to five words, each capitalised, an initial or a particle).
fn person(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) {
        return None;
    }
    let capitalised = |word: &str| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
    };
    let particle = |word: &str| NAME_PARTICLES.contains(&word);
    let valid = words.iter().all(|word| capitalised(word) || particle(word))
        && words.first().is_some_and(|word| capitalised(word))
        && words.last().is_some_and(|word| capitalised(word));
    if !valid {
        return None;
    }
    let shouting = words
        .iter()
        .all(|word| !word.chars().any(char::is_lowercase));
    let name = if shouting {
        words
            .iter()
            .map(|word| title_case(word))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        words.join(" ")
    };
    Some(name)
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// A publication's name as written in an attribution, cleaned of markup, punctuation and
/// corporate suffixes: `[BESA Centre website](#)` -> `BESA Centre`.
pub fn publication(text: &str) -> Option<String> {
    let mut name = text.trim();
    if let Some(link) = name.find("](") {
        name = &name[..link];
    }
    let mut name = name
        .trim_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The suffixes are ASCII: comparing the last bytes without case is enough.
    while let Some(cut) = CORPORATE_SUFFIXES.iter().find_map(|suffix| {
        let cut = name.len().checked_sub(suffix.len())?;
        name.get(cut..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
            .then_some(cut)
    }) {
        name.truncate(cut);
        name = name.trim_end_matches([',', ' ']).to_string();
    }
    let starts_capital = name.chars().next().is_some_and(char::is_uppercase);
    let words = name.split_whitespace().count();
    (starts_capital && (1..=8).contains(&words)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_lists() {
        assert_eq!(people("Puneet Talwar").as_deref(), Some("Puneet Talwar"));
        assert_eq!(
            people("Farnaz Fassihi, Ronen Bergman and Eric Schmitt").as_deref(),
            Some("Farnaz Fassihi, Ronen Bergman, Eric Schmitt")
        );
        assert_eq!(people("Ana & Bo Li Chen").as_deref(), None);
        assert_eq!(
            people("Ursula von der Leyen").as_deref(),
            Some("Ursula von der Leyen")
        );
        assert_eq!(people("John F. Kirby").as_deref(), Some("John F. Kirby"));
        assert_eq!(people("PUNEET TALWAR").as_deref(), Some("Puneet Talwar"));
    }

    #[test]
    fn handles_and_phrases_are_not_people() {
        assert_eq!(people("HotelSalesCareers"), None);
        assert_eq!(people("the editorial board"), None);
        assert_eq!(people("Staff 2020"), None);
        assert_eq!(people(""), None);
    }

    #[test]
    fn publications_are_cleaned() {
        assert_eq!(
            publication("[BESA Centre website](#)").as_deref(),
            Some("BESA Centre")
        );
        assert_eq!(
            publication("The New York Times Company.").as_deref(),
            Some("The New York Times")
        );
        assert_eq!(publication(" Reuters ").as_deref(), Some("Reuters"));
        assert_eq!(publication("the daily grind"), None);
        assert_eq!(
            publication("Société Générale Co.").as_deref(),
            Some("Société Générale")
        );
        assert_eq!(publication("İİİ Company").as_deref(), Some("İİİ"));
    }
}
