//! WHERE clauses for list filters and diacritic-free name search, with their arguments.
//!
//! Names are matched on `*_folded` columns (lower case, no diacritics) against the folded words
//! of the query: every word must occur somewhere in the name. PostgreSQL answers `LIKE '%w%'`
//! from a trigram index; SQLite from an FTS5 trigram table for words of three letters or more
//! (shorter words cannot form a trigram and fall back to `LIKE`).

use crate::Backend;

/// A bound argument; both backends encode these two types natively.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Date(chrono::NaiveDate),
}

/// Collects `AND`-ed conditions, numbering placeholders from 1.
#[derive(Debug, Default)]
pub(crate) struct Where {
    conditions: Vec<String>,
    pub(crate) args: Vec<Arg>,
    /// The FTS5 table a search runs through (SQLite): the query is then driven from the
    /// full-text index instead of scanning the table and probing the index row by row.
    fts: Option<(String, String)>,
    searching: bool,
}

impl Where {
    /// Adds a condition; each `?` in it becomes the next `$n` and takes the next argument.
    pub(crate) fn and(&mut self, condition: &str, args: Vec<Arg>) {
        let mut sql = String::with_capacity(condition.len() + 4);
        let mut args = args.into_iter();
        for ch in condition.chars() {
            if ch == '?' {
                self.args
                    .push(args.next().expect("one argument per placeholder"));
                sql.push_str(&format!("${}", self.args.len()));
            } else {
                sql.push(ch);
            }
        }
        self.conditions.push(sql);
    }

    pub(crate) fn and_text(&mut self, condition: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.and(condition, vec![Arg::Text(v.to_string())]);
        }
    }

    pub(crate) fn and_int(&mut self, condition: &str, value: Option<i64>) {
        if let Some(v) = value {
            self.and(condition, vec![Arg::Int(v)]);
        }
    }

    /// Every word of `q` must occur in `column` (a folded name); `fts` names the SQLite FTS5
    /// table and id column that index that column, if any.
    pub(crate) fn and_name_matches(
        &mut self,
        backend: Backend,
        column: &str,
        fts: Option<(&str, &str)>,
        q: Option<&str>,
    ) {
        let Some(q) = q else { return };
        let words = ocop_domain::text::search_terms(q);
        self.searching = !words.is_empty();
        let (long, short): (Vec<_>, Vec<_>) =
            words.into_iter().partition(|w| w.chars().count() >= 3);
        let mut like = short;
        match (backend, fts) {
            (Backend::Sqlite, Some((table, id))) if !long.is_empty() => {
                let expression = long
                    .iter()
                    .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                self.and(&format!("{table} MATCH ?"), vec![Arg::Text(expression)]);
                self.fts = Some((table.to_string(), id.to_string()));
            }
            _ => like.extend(long),
        }
        for w in like {
            self.and(
                &format!("{column} LIKE ? ESCAPE '\\'"),
                vec![Arg::Text(format!("%{}%", escape_like(&w)))],
            );
        }
    }

    /// The FROM clause for `table AS alias`: joined to the FTS table when a search uses it.
    pub(crate) fn from(&self, table_and_alias: &str) -> String {
        match &self.fts {
            // SQLite keeps the left table of a CROSS JOIN as the outer loop: the full-text
            // index drives, and the rows it finds are sorted. Left to itself, the planner may
            // walk the name-order index and probe the full-text index row by row, which is
            // hundreds of times slower.
            Some((fts, id)) => format!("{fts} CROSS JOIN {table_and_alias} ON {id} = {fts}.rowid"),
            None => table_and_alias.to_string(),
        }
    }

    pub(crate) fn sql(&self) -> String {
        if self.conditions.is_empty() {
            "TRUE".to_string()
        } else {
            self.conditions.join(" AND ")
        }
    }

    /// Whether a name search narrows the list.
    pub(crate) fn is_searching(&self) -> bool {
        self.searching
    }

    /// The ORDER BY for a list by folded name. While searching, the order is on an expression
    /// so that no index can provide it: the database then finds the (few) matches first and
    /// sorts them, instead of walking the whole name index testing each row, which on a large
    /// register is what a planner's row estimate for `LIKE '%…%'` tends to choose.
    pub(crate) fn order_by_name(&self, column: &str, id: &str) -> String {
        if self.searching {
            format!("{column} || '', {id}")
        } else {
            format!("{column}, {id}")
        }
    }

    /// The next free placeholder number (for LIMIT and OFFSET).
    pub(crate) fn next(&self) -> usize {
        self.args.len() + 1
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Binds the collected arguments to a query, in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                $crate::search::Arg::Text(s) => q.bind(s.clone()),
                $crate::search::Arg::Int(i) => q.bind(*i),
                $crate::search::Arg::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        let mut w = Where::default();
        w.and_text("p.province_code = ?", Some("22"));
        w.and_text("p.commune_code = ?", None);
        w.and_int("p.organization_id = ?", Some(7));
        assert_eq!(w.sql(), "p.province_code = $1 AND p.organization_id = $2");
        assert_eq!(w.args, vec![Arg::Text("22".into()), Arg::Int(7)]);
        assert_eq!(w.next(), 3);
        assert_eq!(Where::default().sql(), "TRUE");
    }

    #[test]
    fn sqlite_uses_trigrams_for_long_words_and_like_for_short_ones() {
        let mut w = Where::default();
        w.and_name_matches(
            Backend::Sqlite,
            "p.name_folded",
            Some(("products_search", "p.id")),
            Some("Cà phê Đông Triều"),
        );
        assert_eq!(
            w.sql(),
            "products_search MATCH $1 AND p.name_folded LIKE $2 ESCAPE '\\'"
        );
        assert_eq!(
            w.from("products p"),
            "products_search CROSS JOIN products p ON p.id = products_search.rowid"
        );
        assert_eq!(
            w.args[0],
            Arg::Text("\"phe\" AND \"dong\" AND \"trieu\"".into())
        );
        assert_eq!(w.args[1], Arg::Text("%ca%".into()));
    }

    #[test]
    fn postgres_uses_like_for_every_word_and_escapes_wildcards() {
        let mut w = Where::default();
        w.and_name_matches(
            Backend::Postgres,
            "o.name_folded",
            None,
            Some("nuoc 100%_mam"),
        );
        assert_eq!(
            w.args,
            vec![
                Arg::Text("%nuoc%".into()),
                Arg::Text("%100\\%\\_mam%".into())
            ]
        );
        let mut empty = Where::default();
        empty.and_name_matches(Backend::Postgres, "o.name_folded", None, Some("   "));
        assert_eq!(empty.sql(), "TRUE");
    }

    #[test]
    fn quotes_in_words_cannot_break_the_fts_expression() {
        let mut w = Where::default();
        w.and_name_matches(
            Backend::Sqlite,
            "p.name_folded",
            Some(("products_search", "p.id")),
            Some("a\"b\"c OR x"),
        );
        assert_eq!(w.args[0], Arg::Text("\"a\"\"b\"\"c\"".into()));
    }
}
