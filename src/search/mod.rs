//! Full-text search: one tantivy index, read by the browser (through a static
//! export), the live server and `talkbook search`.
