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
//!
//! mimalloc 3 keeps freed memory for a second before it returns it, and a
//! build frees a lot within a second (each note's HTML as its page is
//! written, the search export's postings as its shards are written):
//! [`give_back_freed_memory_soon`] makes that 10 ms, mimalloc 2's delay.
//! Measured on the benchmark corpora: the 100,000-note peak went from
//! 3,054-3,071 MiB to 2,941-2,947 MiB, the 10,000-note one from 463-475 MiB
//! to 406-412 MiB, with no difference in time past the noise (10,000-note
//! rebuilds 7.14-7.29 s and 7.30-7.42 s, alternated).

/// The allocator of every allocation in the process.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3's `mi_option_purge_delay` (libmimalloc-sys names the options
/// around it, not it): how many milliseconds freed memory is kept before it
/// is given back to the system.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The delay [`give_back_freed_memory_soon`] sets.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// The environment variable by which mimalloc reads the purge delay: when
/// it is set, its value stands.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// Has the allocator give freed memory back to the system 10 ms after it is
/// freed rather than a second, unless [`PURGE_DELAY_VARIABLE`] says
/// otherwise: called first thing by the binary.
pub fn give_back_freed_memory_soon() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
        return;
    }
    // SAFETY: sets one of mimalloc's options, which it reads when it next
    // gives memory back; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option numbered [`PURGE_DELAY`] is the purge delay: it starts at
    /// mimalloc 3's default and takes the value set. A mimalloc that numbers
    /// its options otherwise fails here. (With the environment setting the
    /// delay, it only checks that the setting stands.)
    #[test]
    fn the_option_set_is_the_purge_delay() {
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        let before = get();
        let from_environment = std::env::var_os(PURGE_DELAY_VARIABLE).is_some();
        if !from_environment {
            assert_eq!(before, 1000);
        }
        give_back_freed_memory_soon();
        let expected = if from_environment {
            before
        } else {
            PURGE_DELAY_MS
        };
        assert_eq!(get(), expected);
    }
}
