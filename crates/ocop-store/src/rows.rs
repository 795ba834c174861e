//! One decoder for every model read from rows, on both backends.
//!
//! [`from_rows!`] declares a model and its `sqlx::FromRow` for SQLite's and PostgreSQL's rows,
//! so queries read it with `sqlx::query_as`. Columns hold plain SQL values; the domain's
//! types are read through their text: a field written `name: Type as text` is read as a
//! string and parsed with `FromStr` (states, kinds, roles, codes), `as maybe_text` the same for
//! an `Option`, and `as json` is text holding JSON. A value the domain refuses is a decode
//! error naming the column, never a default.

/// The decode error for a column whose value the domain's type refuses.
pub(crate) fn refused(column: &str, why: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: why.to_string().into(),
    }
}

macro_rules! column {
    ($row:ident, $name:expr) => {
        sqlx::Row::try_get($row, $name)?
    };
    ($row:ident, $name:expr, text) => {{
        let raw: String = sqlx::Row::try_get($row, $name)?;
        raw.parse().map_err(|e| $crate::rows::refused($name, e))?
    }};
    ($row:ident, $name:expr, maybe_text) => {{
        let raw: Option<String> = sqlx::Row::try_get($row, $name)?;
        match raw {
            Some(raw) => Some(raw.parse().map_err(|e| $crate::rows::refused($name, e))?),
            None => None,
        }
    }};
    ($row:ident, $name:expr, json) => {{
        let raw: String = sqlx::Row::try_get($row, $name)?;
        serde_json::from_str(&raw).map_err(|e| $crate::rows::refused($name, e))?
    }};
}
pub(crate) use column;

/// Declares a struct read from rows; each field is the column of the same name.
macro_rules! from_rows {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty $(as $how:ident)?),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $ty),*
        }

        $crate::rows::from_rows!(@impl $name, sqlx::sqlite::SqliteRow, $($field $(as $how)?),*);
        $crate::rows::from_rows!(@impl $name, sqlx::postgres::PgRow, $($field $(as $how)?),*);
    };
    (@impl $name:ident, $row:ty, $($field:ident $(as $how:ident)?),*) => {
        impl<'r> sqlx::FromRow<'r, $row> for $name {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                Ok($name {
                    $($field: $crate::rows::column!(row, stringify!($field) $(, $how)?)),*
                })
            }
        }
    };
}
pub(crate) use from_rows;
