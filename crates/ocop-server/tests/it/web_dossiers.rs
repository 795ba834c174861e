//! Placeholder: filled by the web_dossiers pages work.
