//! Small macros for the operation types: optional setters.

/// Setters for optional fields: `strings { a, b }` take `impl Into<String>`, `values { c: T }` take
/// `impl Into<Option<T>>`, `lists { d: T }` take an iterator of `impl Into<T>`.
macro_rules! setters {
    ($ty:ident {
        $( strings { $( $(#[$sm:meta])* $s:ident ),* $(,)? } )?
        $( values { $( $(#[$vm:meta])* $v:ident : $vt:ty ),* $(,)? } )?
        $( lists { $( $(#[$lm:meta])* $l:ident : $lt:ty ),* $(,)? } )?
    }) => {
        impl $ty {
            $($(
                $(#[$sm])*
                pub fn $s(mut self, value: impl Into<String>) -> Self {
                    self.$s = Some(value.into());
                    self
                }
            )*)?
            $($(
                $(#[$vm])*
                pub fn $v(mut self, value: impl Into<Option<$vt>>) -> Self {
                    self.$v = value.into();
                    self
                }
            )*)?
            $($(
                $(#[$lm])*
                pub fn $l<I: Into<$lt>>(mut self, values: impl IntoIterator<Item = I>) -> Self {
                    self.$l = values.into_iter().map(Into::into).collect();
                    self
                }
            )*)?
        }
    };
}

pub(crate) use setters;

/// `faxkit::open_enum!` for values WestFax's own client matches ignoring case **and spaces**
/// (`FaxIdClasses.cs` in github.com/westfax/SDK-Fax: `Busy`, `No Answer` and `NoAnswer` are one value):
/// `from_wire` drops every whitespace character before comparing, so `No Fax Device`, `noFaxDevice` and
/// `Waiting To Dial` all parse; unknown values are kept exactly as sent in `Other`.
macro_rules! spaceless_open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, kept exactly as sent.
            Other(::std::string::String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(s) => s.as_str(),
                }
            }

            /// Parses a wire value ignoring case and every whitespace character; unknown values become `Other`.
            pub fn from_wire(raw: &str) -> Self {
                let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<::std::string::String>();
                let t = squeeze(raw);
                $(
                    if t.eq_ignore_ascii_case(&squeeze($wire)) $(|| t.eq_ignore_ascii_case(&squeeze($alias)))* {
                        return Self::$variant;
                    }
                )*
                Self::Other(raw.to_owned())
            }

            /// Whether the value is one this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct Text;
                impl ::serde::de::Visitor<'_> for Text {
                    type Value = ::std::string::String;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string or a number")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<Self::Value, E> {
                        Ok(v.to_owned())
                    }
                    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> ::std::result::Result<Self::Value, E> {
                        Ok(v.to_string())
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<Self::Value, E> {
                        Ok(v.to_string())
                    }
                    fn visit_f64<E: ::serde::de::Error>(self, v: f64) -> ::std::result::Result<Self::Value, E> {
                        Ok(v.to_string())
                    }
                }
                d.deserialize_any(Text).map(|raw| Self::from_wire(&raw))
            }
        }
    };
}

pub(crate) use spaceless_open_enum;
