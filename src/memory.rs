//! The memory allocator: mimalloc, for the binary and the tests alike.
//!
//! A build allocates and frees millions of small strings on several threads
//! at once (the notes' HTML, the pages, the search index's files). Measured
//! against glibc's allocator on the benchmark corpora: a warm 10,000-note
//! build took 5.1-5.3 s instead of 6.0-6.2 s, a 100,000-note one 61-68 s
//! instead of 75-80 s. glibc's allocator also kept memory freed by one
//! thread from the others until `malloc_trim` was called, which took 50-100
//! ms a call at 100,000 notes; mimalloc returns freed pages to the system by
//! itself, and calling it to do so at once made no difference to the peak.

/// The allocator of every allocation in the process.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
