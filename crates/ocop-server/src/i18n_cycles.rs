//! Vietnamese and English texts of the cycles pages; chained into [`crate::i18n`]'s table.

/// (key, Vietnamese, English)
pub const TEXTS: &[(&str, &str, &str)] = &[];
