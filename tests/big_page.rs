//! A huge web page indexed by the quarry binary: its time and its peak memory, taken from the
//! operating system's count for the children of this test binary (which holds one test, so
//! that the count is of this run alone).

use std::fs;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// The page's size: 50 MB with optimizations (`cargo test --release`); in a debug build, where
/// 50 MB take some 40 s, 10 MB.
const PAGE_BYTES: usize = if cfg!(debug_assertions) {
    10_000_000
} else {
    50_000_000
};

/// Time enough in a debug build on a busy machine (10 MB took 8 s on two cores).
const PATIENCE: Duration = Duration::from_secs(60);

/// Peak memory allowed: a fixed part for the index writer, and some times the page. The page
/// is a tree of nodes and every paragraph is a line of text: 50 MB of tiny paragraphs peaked
/// at 350 MB (7 times the page) with the release build.
const FIXED_BYTES: u64 = 150 << 20;
const TIMES_THE_PAGE: u64 = 12;

/// The largest resident set of the children waited for, in bytes.
fn children_peak_bytes() -> u64 {
    // SAFETY: getrusage fills the struct it is given, which lives on the stack.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    let max = u64::try_from(usage.ru_maxrss).unwrap();
    // Linux counts in kilobytes, macOS in bytes.
    if cfg!(target_os = "macos") {
        max
    } else {
        max * 1024
    }
}

fn quarry() -> Command {
    let mut cmd = Command::cargo_bin("quarry").expect("the quarry binary is built");
    cmd.env_remove("QUARRY_INDEX")
        .env("HOME", std::env::temp_dir().join("quarry-tests-no-home"))
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("quarry-tests-no-home"),
        );
    cmd
}

#[test]
fn a_page_of_tens_of_megabytes_is_indexed_in_bounded_time_and_memory() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    // Tiny paragraphs, far more of them than a page's elements may number, then a last one.
    let paragraph = "<p>word word</p>\n";
    let mut page = String::with_capacity(PAGE_BYTES + 200);
    page.push_str("<html><head><title>A page of many paragraphs</title></head><body>\n");
    page.push_str("<p>Saffron opens the page, in its first paragraph.</p>\n");
    while page.len() < PAGE_BYTES {
        page.push_str(paragraph);
    }
    page.push_str("<p>Cardamom closes the page, in its last paragraph.</p>\n</body></html>\n");
    let lines = page.lines().count() as u64;
    fs::write(docs.join("big.html"), &page).unwrap();
    drop(page);

    let index = dir.path().join("idx");
    let started = Instant::now();
    let output = quarry()
        .args(["index", "--index"])
        .arg(&index)
        .arg(&docs)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let took = started.elapsed();
    let peak = children_peak_bytes();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("1 added, "), "{stdout}");
    assert!(took < PATIENCE, "{took:?}");
    let allowed = FIXED_BYTES + TIMES_THE_PAGE * PAGE_BYTES as u64;
    assert!(
        peak < allowed,
        "a peak of {} MB for a page of {} MB (allowed: {} MB)",
        peak >> 20,
        PAGE_BYTES >> 20,
        allowed >> 20
    );

    // The first and the last paragraph are found, with lines within the page's.
    for word in ["saffron", "cardamom"] {
        let output = quarry()
            .args(["query", "--format", "json", "--index"])
            .arg(&index)
            .arg(word)
            .output()
            .unwrap();
        assert!(output.status.success(), "{word}");
        let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let hit = &record["hits"][0];
        let passage = hit["passage"].as_str().unwrap_or_default();
        assert!(
            passage.to_lowercase().contains(word),
            "{word}: {passage:.300}"
        );
        let [first, last] = [0, 1].map(|i| hit["lines"][i].as_u64().unwrap());
        assert!(
            1 <= first && first <= last && last <= lines,
            "{first}-{last}"
        );
    }
}
