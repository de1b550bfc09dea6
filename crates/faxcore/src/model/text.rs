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

/// serde helpers for an optional open enum in XML text: a missing or empty element is `None`, anything else
/// the enum (an unknown value is its `Other(raw)` arm). quick-xml hands an element to `deserialize_any` as a
/// map, so the text is read as a string first.
pub(crate) mod optional_text_enum {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: for<'a> From<&'a str>,
    {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        let t = raw.trim();
        Ok((!t.is_empty()).then(|| T::from(t)))
    }

    pub(crate) fn serialize<S: Serializer, T: std::fmt::Display>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_str(""),
        }
    }
}

/// serde helpers for an optional fax id in XML text: a missing or empty element is `None`.
pub(crate) mod optional_id {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::ids::FaxId;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FaxId>, D::Error> {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u64>()
            .map(|n| Some(FaxId::new(n)))
            .map_err(|e| serde::de::Error::custom(format!("{t:?} is not a fax id: {e}")))
    }

    pub(crate) fn serialize<S: Serializer>(value: &Option<FaxId>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(id) => s.collect_str(id),
            None => s.serialize_str(""),
        }
    }
}
