//! Placeholder: filled by the web_cycles pages work.
