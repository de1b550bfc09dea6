//! Wire types, one file per resource.

pub mod jobs;
pub mod pull;
pub mod reports;
pub mod webhook;

/// Lenient deserializers for values Retarus sends in more than one shape.
pub(crate) mod de {
    use faxkit::VendorTime;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Num(u64),
        Text(String),
    }

    /// A count sent as a number, a numeric string, an empty string or null.
    pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Option::<NumOrText>::deserialize(d)? {
            None => Ok(None),
            Some(NumOrText::Num(n)) => Ok(Some(n)),
            Some(NumOrText::Text(t)) if t.trim().is_empty() => Ok(None),
            Some(NumOrText::Text(t)) => t.trim().parse().map(Some).map_err(serde::de::Error::custom),
        }
    }

    /// A timestamp; empty strings and null are `None`, text that is no timestamp is an error.
    pub(crate) fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<VendorTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(t) if t.trim().is_empty() => Ok(None),
            Some(t) => VendorTime::parse(&t).map(Some).map_err(serde::de::Error::custom),
        }
    }

    /// Like [`opt_time`], but text that is no timestamp becomes `None` (with a warning) instead of failing the
    /// whole answer: one odd date must not block a Fax2WSPull batch for ever.
    pub(crate) fn opt_time_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<VendorTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(t) if t.trim().is_empty() => Ok(None),
            Some(t) => match VendorTime::parse(&t) {
                Ok(v) => Ok(Some(v)),
                Err(e) => {
                    tracing::warn!(raw = %t, error = %e, "unparseable timestamp ignored");
                    Ok(None)
                }
            },
        }
    }

    /// A string or number read as text; null is `None`.
    pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Text(String),
            Int(i64),
            UInt(u64),
            Float(f64),
            Bool(bool),
        }
        Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
            Scalar::Text(t) => t,
            Scalar::Int(n) => n.to_string(),
            Scalar::UInt(n) => n.to_string(),
            Scalar::Float(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }))
    }

    /// A list that may arrive as `null`, one object or an array.
    ///
    /// A hand-written visitor, not an untagged enum: an untagged enum buffers the whole value and reads it
    /// again, which cost more than the rest of a report's decode (docs/performance.md).
    pub(crate) fn one_or_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null, one object or an array")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(out)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                Ok(vec![T::deserialize(serde::de::value::MapAccessDeserializer::new(map))?])
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<T>, E> {
                T::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(|t| vec![t])
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Vec<T>, E> {
                T::deserialize(serde::de::value::StringDeserializer::<E>::new(v)).map(|t| vec![t])
            }
        }
        d.deserialize_option(V(std::marker::PhantomData))
    }

    /// A boolean sent as `true`/`false` or as the strings `"true"`/`"false"`.
    pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum BoolOrText {
            Bool(bool),
            Text(String),
        }
        match Option::<BoolOrText>::deserialize(d)? {
            None => Ok(None),
            Some(BoolOrText::Bool(b)) => Ok(Some(b)),
            Some(BoolOrText::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                other => Err(serde::de::Error::custom(format!("expected true or false, got {other:?}"))),
            },
        }
    }
}

#[cfg(test)]
mod one_or_many_tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        n: u8,
    }

    #[derive(serde::Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "super::de::one_or_many")]
        items: Vec<Item>,
    }

    #[test]
    fn one_or_many_accepts_null_one_or_many() {
        let get = |json: &str| serde_json::from_str::<Holder>(json).map(|h| h.items);
        assert_eq!(get(r#"{"items": null}"#).unwrap(), vec![]);
        assert_eq!(get(r#"{}"#).unwrap(), vec![]);
        assert_eq!(get(r#"{"items": {"n": 1}}"#).unwrap(), vec![Item { n: 1 }]);
        assert_eq!(get(r#"{"items": [{"n": 1}, {"n": 2}]}"#).unwrap(), vec![Item { n: 1 }, Item { n: 2 }]);
        assert!(get(r#"{"items": 7}"#).is_err());
    }
}
