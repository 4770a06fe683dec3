//! Giving memory a build has freed back to the system.
//!
//! A build frees each note's HTML once its page is rendered: at 100,000
//! notes most of a gigabyte. glibc's allocator keeps freed memory in the
//! heap of the thread that allocated it (the threads that read the notes),
//! where the thread building the search index, which allocates from a heap
//! of its own, cannot use it: without giving it back, the build's peak
//! memory is the notes' HTML plus the search index, not the larger of them.

/// Gives the pages of the allocator's free memory back to the system. Takes
/// some milliseconds on a heap of gigabytes, so it is called now and then,
/// not after each free. Does nothing where the allocator is not glibc's.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps
    // to the system; it touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
