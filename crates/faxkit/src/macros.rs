//! Macros for the wire types every vendor crate has: open enums and id newtypes.

/// Declares an open enum: known wire values as variants, anything else kept in `Other(String)`.
///
/// Parsing is case-insensitive and trims whitespace; each variant may list aliases after `|` for the spellings
/// different sources record. Deserializes from a string or a number (numbers are matched as their decimal
/// text); serializes as the first spelling.
///
/// ```
/// faxkit::open_enum! {
///     /// A fax status as FaxCore spells it.
///     pub enum Status {
///         /// Done.
///         Completed = "Completed" | "Complete",
///         /// Waiting.
///         InQueue = "In Queue",
///     }
/// }
/// assert_eq!(Status::from_wire("in queue"), Status::InQueue);
/// assert_eq!(Status::from_wire("complete"), Status::Completed);
/// assert_eq!(Status::from_wire("Exploded"), Status::Other("Exploded".into()));
/// assert_eq!(Status::InQueue.as_str(), "In Queue");
/// let s: Status = serde_json::from_str("\"COMPLETED\"").unwrap();
/// assert_eq!(s, Status::Completed);
/// ```
///
/// Values a vendor matches ignoring every space as well (WestFax's own client: `No Answer` = `NoAnswer`) are
/// declared with a leading `@ignore_spaces`:
///
/// ```
/// faxkit::open_enum! {
///     @ignore_spaces
///     /// A call result.
///     pub enum CallResult {
///         /// No fax device answered.
///         NoFaxDevice = "No Fax Device",
///     }
/// }
/// assert_eq!(CallResult::from_wire("nofaxdevice"), CallResult::NoFaxDevice);
/// assert_eq!(CallResult::from_wire(" No  Fax\tDevice"), CallResult::NoFaxDevice);
/// ```
#[macro_export]
macro_rules! open_enum {
    (@ignore_spaces $($rest:tt)*) => {
        $crate::open_enum!(@with [$crate::__private::without_spaces] $($rest)*);
    };
    (@with [$normalize:path]
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

            /// Parses a wire value, ignoring case and surrounding whitespace (every whitespace for enums declared
            /// `@ignore_spaces`); unknown values become `Other`.
            pub fn from_wire(raw: &str) -> Self {
                // The usual case first: a value spelled exactly as declared, by plain comparison.
                #[allow(unreachable_patterns)]
                match raw {
                    $( $wire $(| $alias)* => return Self::$variant, )*
                    _ => {}
                }
                let t = $normalize(raw);
                $(
                    if t.eq_ignore_ascii_case(&$normalize($wire))
                        $(|| t.eq_ignore_ascii_case(&$normalize($alias)))*
                    {
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

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let raw = <$crate::__private::StringOrNumber as $crate::__private::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from_wire(&raw.0))
            }
        }
    };
    ($($rest:tt)*) => {
        $crate::open_enum!(@with [$crate::__private::trimmed] $($rest)*);
    };
}

/// Declares an id newtype, like octocrab's `id_type!`: over `String` (`struct JobId;`), or over a 64-bit
/// number (`struct FaxId(u64) for "vendor";`, the vendor naming the crate in parse errors). Both read a JSON
/// string or number (vendors send both); a numeric id is written as a number and parsed from decimal digits
/// only, surrounding whitespace ignored.
///
/// ```
/// faxkit::id_type! {
///     /// A job id.
///     pub struct JobId;
/// }
/// let a: JobId = serde_json::from_str("12345678901234567").unwrap();
/// let b: JobId = serde_json::from_str("\"12345678901234567\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "12345678901234567");
///
/// faxkit::id_type! {
///     /// A fax id.
///     pub struct FaxId(u64) for "acme";
/// }
/// let id: FaxId = serde_json::from_str("\" 131201409296898\"").unwrap();
/// assert_eq!(id.get(), 131_201_409_296_898);
/// assert_eq!(serde_json::to_string(&id).unwrap(), "131201409296898");
/// assert_eq!(" 7 ".parse::<FaxId>().unwrap(), FaxId::new(7));
/// assert!("+7".parse::<FaxId>().is_err() && "".parse::<FaxId>().is_err());
/// assert_eq!(faxkit::FaxId::from(id).as_str(), "131201409296898");
/// ```
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($ty:ty) for $vendor:expr;) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(pub $ty);

        impl $name {
            /// An id from its number.
            pub const fn new(id: $ty) -> Self {
                Self(id)
            }

            /// The id as a number.
            pub const fn get(self) -> $ty {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::convert::From<$ty> for $name {
            fn from(id: $ty) -> Self {
                Self(id)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;

            /// Parses the decimal digits of an id, ignoring surrounding whitespace.
            ///
            /// # Errors
            /// [`faxkit::Error::InvalidInput`] for anything else, or a number out of range.
            fn from_str(s: &str) -> $crate::Result<Self> {
                $crate::__private::parse_numeric_id::<$ty>(s, $vendor, stringify!($name)).map(Self)
            }
        }

        impl ::std::convert::From<$name> for $crate::FaxId {
            fn from(id: $name) -> Self {
                $crate::FaxId::new(id.0.to_string())
            }
        }

        impl ::std::convert::TryFrom<&$crate::FaxId> for $name {
            type Error = $crate::Error;
            fn try_from(id: &$crate::FaxId) -> $crate::Result<Self> {
                id.as_str().parse()
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&self.0, s)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let raw = <$crate::__private::StringOrNumber as $crate::__private::serde::Deserialize>::deserialize(d)?;
                raw.0.parse().map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(::std::string::String);

        impl $name {
            /// An id from its text.
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                Self(s)
            }
        }

        impl ::std::convert::From<$name> for $crate::FaxId {
            fn from(id: $name) -> Self {
                $crate::FaxId::new(id.0)
            }
        }

        impl ::std::convert::From<&$crate::FaxId> for $name {
            fn from(id: &$crate::FaxId) -> Self {
                Self(id.as_str().to_owned())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let raw = <$crate::__private::StringOrNumber as $crate::__private::serde::Deserialize>::deserialize(d)?;
                Ok(Self(raw.0))
            }
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use serde;

    /// The parse behind numeric [`id_type!`](crate::id_type) ids: decimal digits only, whitespace around.
    pub fn parse_numeric_id<T: std::str::FromStr>(s: &str, vendor: &'static str, what: &str) -> crate::Result<T> {
        let t = s.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(crate::Error::invalid_input(vendor, format!("{s:?} is not a {what} (a number)")));
        }
        t.parse().map_err(|_| crate::Error::invalid_input(vendor, format!("{s:?} is out of range for a {what}")))
    }

    use std::borrow::Cow;

    /// `open_enum!`'s default comparison form: surrounding whitespace trimmed.
    pub fn trimmed(s: &str) -> Cow<'_, str> {
        Cow::Borrowed(s.trim())
    }

    /// `open_enum!`'s `@ignore_spaces` comparison form: every whitespace character removed.
    pub fn without_spaces(s: &str) -> Cow<'_, str> {
        if s.chars().any(char::is_whitespace) {
            Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
        } else {
            Cow::Borrowed(s)
        }
    }

    /// A JSON/XML scalar read as text: strings as they are, numbers and booleans as their decimal text.
    #[derive(Debug)]
    pub struct StringOrNumber(pub String);

    impl<'de> serde::Deserialize<'de> for StringOrNumber {
        // Named lifetime: the map visitor reads nested values.
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = StringOrNumber;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a string or a number")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_owned()))
                }
                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(v.to_string()))
                }
                /// An empty XML element.
                fn visit_unit<E: serde::de::Error>(self) -> Result<StringOrNumber, E> {
                    Ok(StringOrNumber(String::new()))
                }
                /// quick-xml hands element text to `deserialize_any` as a map with a `$text` (or `$value`) key.
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<StringOrNumber, A::Error> {
                    let mut text = String::new();
                    while let Some(key) = map.next_key::<String>()? {
                        let value: StringOrNumber = map.next_value()?;
                        if key == "$text" || key == "$value" {
                            text = value.0;
                        }
                    }
                    Ok(StringOrNumber(text))
                }
            }
            d.deserialize_any(V)
        }
    }
}

/// Builder setters, written inside an `impl` block: `strings { a, b }` take `impl Into<String>`,
/// `values { c: T }` take `impl Into<Option<T>>`, `lists { d: T }` take an iterator of `impl Into<T>`,
/// `plain { e: T }` take a `T` and store it as it is (a field `e: T`) or as `Some(value)` (a field
/// `e: Option<T>`). Each setter takes `self` and returns it, after setting the field of the same name.
///
/// `setters!(Type { … })` writes the setters in a new `impl Type` block; `setters!(in options; …)` (inside an
/// `impl` block) sets the fields of `self.options` instead of `self`.
///
/// ```
/// #[derive(Default)]
/// pub struct Query {
///     name: Option<String>,
///     limit: Option<u32>,
///     tags: Vec<String>,
///     newest_first: bool,
///     offset: Option<u32>,
/// }
/// faxkit::setters!(Query {
///     strings { /// The name.
///         name }
///     values { /// At most this many.
///         limit: u32 }
///     lists { /// The tags.
///         tags: String }
///     plain {
///         /// Newest first.
///         newest_first: bool,
///         /// Skip this many.
///         offset: u32,
///     }
/// });
/// let q = Query::default().name("a").limit(3).tags(["x", "y"]).newest_first(true).offset(7);
/// assert_eq!((q.name.as_deref(), q.limit, q.tags.len()), (Some("a"), Some(3), 2));
/// assert_eq!((q.newest_first, q.offset), (true, Some(7)));
/// ```
#[macro_export]
macro_rules! setters {
    (in $field:ident;
        $( strings { $( $(#[$sm:meta])* $s:ident ),* $(,)? } )?
        $( values { $( $(#[$vm:meta])* $v:ident : $vt:ty ),* $(,)? } )?
        $( lists { $( $(#[$lm:meta])* $l:ident : $lt:ty ),* $(,)? } )?
        $( plain { $( $(#[$pm:meta])* $p:ident : $pt:ty ),* $(,)? } )?
    ) => {
        $($(
            $(#[$sm])*
            pub fn $s(mut self, value: impl Into<String>) -> Self {
                self.$field.$s = Some(value.into());
                self
            }
        )*)?
        $($(
            $(#[$vm])*
            pub fn $v(mut self, value: impl Into<Option<$vt>>) -> Self {
                self.$field.$v = value.into();
                self
            }
        )*)?
        $($(
            $(#[$lm])*
            pub fn $l<I: Into<$lt>>(mut self, values: impl IntoIterator<Item = I>) -> Self {
                self.$field.$l = values.into_iter().map(Into::into).collect();
                self
            }
        )*)?
        $($(
            $(#[$pm])*
            pub fn $p(mut self, value: $pt) -> Self {
                self.$field.$p = value.into();
                self
            }
        )*)?
    };
    ($ty:ident {
        $( strings { $( $(#[$sm:meta])* $s:ident ),* $(,)? } )?
        $( values { $( $(#[$vm:meta])* $v:ident : $vt:ty ),* $(,)? } )?
        $( lists { $( $(#[$lm:meta])* $l:ident : $lt:ty ),* $(,)? } )?
        $( plain { $( $(#[$pm:meta])* $p:ident : $pt:ty ),* $(,)? } )?
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
            $($(
                $(#[$pm])*
                pub fn $p(mut self, value: $pt) -> Self {
                    self.$p = value.into();
                    self
                }
            )*)?
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub, dead_code)]
mod tests {
    crate::open_enum! {
        /// Test enum.
        pub enum Status {
            /// `Completed`: the one known value; the tests check that others land in `Other`.
            Completed = "Completed",
        }
    }

    #[derive(serde::Deserialize)]
    struct Doc {
        #[serde(rename = "Status")]
        status: Status,
        #[serde(rename = "Other")]
        other: Status,
    }

    #[test]
    fn open_enums_read_xml_element_text() {
        let doc: Doc = quick_xml::de::from_str("<Doc><Status>completed</Status><Other>In Queue</Other></Doc>").unwrap();
        assert_eq!(doc.status, Status::Completed);
        assert_eq!(doc.other, Status::Other("In Queue".into()));
        let json: Status = serde_json::from_str("7").unwrap();
        assert_eq!(json, Status::Other("7".into()));
    }
}
