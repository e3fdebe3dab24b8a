//! Peak memory of reading an article, counted by an allocator of this test binary's own (it
//! counts every allocation of the process, so this binary holds one test).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use quarry::article::{self, Metadata};
use quarry::formats::Format;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promises about `layout` are the system allocator's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated while reading `bytes` as a plain-text article, and its passages.
fn peak_reading(bytes: &[u8]) -> (usize, Option<usize>) {
    peak_reading_as(bytes, Format::Text)
}

/// Peak bytes allocated while reading `bytes` as an article of `format`, and its passages.
fn peak_reading_as(bytes: &[u8], format: Format) -> (usize, Option<usize>) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let read = article::from_bytes(
        bytes,
        Path::new("file"),
        "file".into(),
        format,
        Metadata::default(),
    );
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (peak, read.map(|article| article.passages.len()).ok())
}

// One test: the counters are the whole process's.
#[test]
fn reading_an_article_takes_memory_in_proportion() {
    // 5 million copies of one paragraph (265 MB) peaked at 2.26 GB: a copy of the text, a line,
    // a paragraph and a list of word hashes each. Here a line each is left, and the regex caches.
    let paragraph = "The quick brown fox jumps over the lazy dog, again.\n\n";
    let bytes = paragraph.repeat(50_000).into_bytes();
    let (peak, passages) = peak_reading(&bytes);
    assert_eq!(passages, Some(1));
    assert!(
        peak < 3 * bytes.len(),
        "{peak} bytes at the peak for {} bytes of one paragraph",
        bytes.len()
    );
    // Lines of one letter cost the most per byte: each is listed (32 bytes) and its start is
    // kept in its paragraph (8 bytes). 64 MB of them peaked at 1.93 GB, 30 times the file.
    let bytes = "a\n".repeat(1 << 20).into_bytes();
    let (peak, passages) = peak_reading(&bytes);
    assert!(passages.is_some_and(|count| count > 1000));
    assert!(
        peak < 24 * bytes.len(),
        "{peak} bytes at the peak for {} bytes of one-letter lines",
        bytes.len()
    );
    web_pages_take_memory_in_proportion_up_to_a_bound();
}

/// Part of the one test above.
fn web_pages_take_memory_in_proportion_up_to_a_bound() {
    // A page of prose: its tree, its blocks and its paragraphs. 10.4 times the page at first.
    let page: String = (0..50_000)
        .map(|i| {
            format!("<p>Paragraph {i} of the story says something new about the harbour.</p>\n")
        })
        .collect();
    let (peak, passages) = peak_reading_as(page.as_bytes(), Format::Html);
    assert!(passages.is_some_and(|count| count > 1000));
    assert!(
        peak < 16 * page.len(),
        "{peak} bytes at the peak for {} bytes of paragraphs",
        page.len()
    );
    // Tiny elements, more than a page may hold (400,000): each node of the tree costs some
    // 150 bytes at the peak (a text node for each line feed too), 52 times the page here,
    // but the tree stops growing at its limit. 224 MB at first.
    let page = "<p>x</p>\n".repeat(500_000);
    let (peak, passages) = peak_reading_as(page.as_bytes(), Format::Html);
    assert!(passages.is_some());
    assert!(
        peak < 300 << 20,
        "{peak} bytes at the peak for {} bytes of tiny paragraphs",
        page.len()
    );
}
