//! Enums whose variants have stable snake_case names: the names are a contract (the API, the
//! database, the CLI, the web's text keys), so they are written once, beside the variant.

/// A name that is none of an enum's: says what was given and what the choices are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`: use {}", .choices.join(", "))]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub choices: &'static [&'static str],
}

/// Declares an enum with its names: `as_str`, `ALL` (in declaration order), `Display`,
/// `FromStr` (exact names; the error lists the choices), `TryFrom<String>` (the store decodes
/// columns through it) and serde as the name.
///
/// ```
/// ocop_domain::named_enum! {
///     /// A colour.
///     pub enum Colour("colour") { Red = "red", DarkBlue = "dark_blue" }
/// }
/// assert_eq!("dark_blue".parse::<Colour>(), Ok(Colour::DarkBlue));
/// assert_eq!(Colour::Red.to_string(), "red");
/// ```
#[macro_export]
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident($what:literal) {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The names, in the order of [`Self::ALL`].
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::named::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::named::UnknownName {
                        what: $what,
                        given: s.to_string(),
                        choices: Self::NAMES,
                    }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::named::UnknownName;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::named_enum! {
        enum Fruit("fruit") { Apple = "apple", StarFruit = "star_fruit" }
    }

    #[test]
    fn names_round_trip_and_unknown_ones_list_the_choices() {
        for f in Fruit::ALL {
            assert_eq!(f.as_str().parse::<Fruit>(), Ok(*f));
            let json = serde_json::to_string(f).unwrap();
            assert_eq!(serde_json::from_str::<Fruit>(&json).unwrap(), *f);
        }
        assert_eq!(
            "pear".parse::<Fruit>().unwrap_err().to_string(),
            "unknown fruit `pear`: use apple, star_fruit"
        );
        assert!(serde_json::from_str::<Fruit>("\"pear\"").is_err());
        assert_eq!(Fruit::try_from("apple".to_string()), Ok(Fruit::Apple));
    }
}
