/* talkbook search: see src/search/export.rs for the index format. */
