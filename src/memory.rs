//! The allocator, and what happens when memory runs out.
//!
//! Rust's default on a failed allocation is to print "memory allocation of N bytes failed" and
//! abort (exit 134, and a core dump where enabled). quarry says what it means instead, and exits
//! with 2 like any other error. The message is written straight to the file descriptor: with no
//! memory left, nothing that allocates may run.

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc, with a clear exit when memory runs out.
///
/// Indexing frees and reallocates the writer's buffers from several threads: with glibc's
/// allocator the peak RSS of a large run varied from run to run by half. mimalloc is built with
/// `no_thp`: on transparent huge pages, its eagerly committed arenas add some 60 MB to every
/// run (BENCHMARKS.md).
pub struct Allocator;

const OUT_OF_MEMORY: &[u8] = b"quarry: error: out of memory (a limit such as `ulimit -v` may \
be too low: README.md, \"Memory\", says what a run needs); nothing was lost: what was committed \
is kept\n";

fn out_of_memory() -> ! {
    // SAFETY: write(2) and _exit(2) take no locks and allocate nothing; the buffer is a static.
    unsafe {
        libc::write(
            libc::STDERR_FILENO,
            OUT_OF_MEMORY.as_ptr().cast(),
            OUT_OF_MEMORY.len(),
        );
        libc::_exit(2)
    }
}

// SAFETY: every call is passed to mimalloc unchanged; only a null result is acted on.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if pointer.is_null() {
            out_of_memory();
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
        if pointer.is_null() {
            out_of_memory();
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { mimalloc::MiMalloc.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            out_of_memory();
        }
        moved
    }
}
