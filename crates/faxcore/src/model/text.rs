//! serde helpers for XML element text: empty elements, counts, PST dates and open enums.

/// serde helpers for optional PST timestamps: an empty element is `None`.
pub(crate) mod optional_pst {
    use faxkit::VendorTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<VendorTime>, D::Error> {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        if raw.trim().is_empty() {
            return Ok(None);
        }
        crate::model::time::parse_pst(&raw).map(Some).map_err(serde::de::Error::custom)
    }

    pub(crate) fn serialize<S: Serializer>(value: &Option<VendorTime>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_ref().map(|t| t.raw.as_str()).unwrap_or(""))
    }
}

/// serde helpers for optional counts: an empty element is `None`.
pub(crate) mod optional_u32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|e| serde::de::Error::custom(format!("{t:?} is not a count: {e}")))
    }

    pub(crate) fn serialize<S: Serializer>(value: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(n) => s.collect_str(n),
            None => s.serialize_str(""),
        }
    }
}

/// serde helper for open enums in XML text: quick-xml hands an element to `deserialize_any` as a map, so the
/// text is read as a string first.
pub(crate) mod text_enum {
    use serde::{Deserialize, Deserializer};

    pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: for<'a> From<&'a str>,
    {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        Ok(T::from(raw.as_str()))
    }
}
