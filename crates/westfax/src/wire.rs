//! Turning WestFax response bodies into typed values, whatever the transport.
//!
//! Every transport ends in the same tree: JSON bodies parse to a [`serde_json::Value`] directly; .NET
//! `XmlSerializer` bodies (REST `/xml`, RPC `/xml`, SOAP) are converted to the same tree by [`xml_to_value`].
//! [`from_value`] then deserializes the tree leniently, the way the vendor's own Json.NET/XmlSerializer clients
//! read it: field names match case-insensitively, numbers and booleans may arrive as text,
//! `<ErrorString />` reads as absent, and XML list wrappers (`<Result><FaxIdItem>…</FaxIdItem></Result>`) read
//! as lists.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::{Map, Number, Value};

use crate::VENDOR;

/// Deserializes `T` from a decoded response tree (see the module docs).
pub(crate) fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(Lenient(value))
}

/// Deserializes with [`from_value`], mapping failure to a decode error quoting the tree (written out only
/// when decoding fails: the tree is borrowed, not consumed).
pub(crate) fn decode<T: DeserializeOwned>(value: &Value, what: &str) -> faxkit::Result<T> {
    from_value(value).map_err(|e| {
        let excerpt = value.to_string();
        faxkit::Error::decode(VENDOR, format!("unexpected {what}"), excerpt.as_bytes(), Some(Box::new(e)))
    })
}

/// Parses an XML document into `(root element local name, tree)` with faxkit's hardened tree parser
/// ([`faxkit::xml`]: depth, size, element and attribute limits, no document type declarations).
///
/// Elements with child elements become objects (a repeated child name becomes an array), leaf elements become
/// strings, `xsi:nil="true"` becomes null. Namespace prefixes are dropped; other attributes are ignored.
pub(crate) fn xml_to_value(xml: &[u8]) -> faxkit::Result<(String, Value)> {
    let root = faxkit::xml::parse(xml, &faxkit::xml::XmlLimits::default())
        .map_err(|e| faxkit::Error::decode(VENDOR, format!("malformed XML: {e}"), xml, None))?;
    let name = root.name.clone();
    Ok((name, root.into_value(false)))
}

/// What the `Body` of a SOAP reply holds: a `Fault`, or the method's `{Message}Response/{Message}Result`.
pub(crate) enum SoapReply<'a> {
    /// The `Fault` element (SOAP 1.1 or 1.2 layout).
    Fault(&'a Value),
    /// The `…Result` element: the `ApiResult` tree.
    Result(&'a Value),
}

/// Finds the fault or the result in the tree of a SOAP reply whose root element is `root`; `Err` names what
/// is missing when the document is not a SOAP reply.
pub(crate) fn soap_reply<'a>(root: &str, tree: &'a Value) -> Result<SoapReply<'a>, &'static str> {
    if root != "Envelope" {
        return Err("root is not Envelope");
    }
    let Some(Value::Object(body)) = member(tree, "Body") else { return Err("no Body") };
    if let Some(fault) = body.iter().find(|(k, _)| k.as_str() == "Fault").map(|(_, v)| v) {
        return Ok(SoapReply::Fault(fault));
    }
    let Some((_, Value::Object(response))) = body.iter().next() else { return Err("empty Body") };
    response.values().next().map(SoapReply::Result).ok_or("empty response element")
}

/// The child element `name` of an element (exact local name).
pub(crate) fn member<'v>(tree: &'v Value, name: &str) -> Option<&'v Value> {
    tree.as_object()?.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
}

/// The lenient deserializer over a borrowed tree. Strings are handed to the visitor borrowed, so a typed field
/// costs one copy of its text and the tree stays whole for an error excerpt.
#[derive(Clone, Copy)]
struct Lenient<'a>(&'a Value);

type E = serde_json::Error;

macro_rules! parse_num {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            match self.0 {
                Value::String(s) => {
                    let n: $ty =
                        s.trim().parse().map_err(|_| de::Error::custom(format!("expected a number, got {s:?}")))?;
                    visitor.$visit(n)
                }
                _ => self.deserialize_any(visitor),
            }
        }
    };
}

/// An empty object, for `<Element />` and `null` read as a struct.
static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'de> de::Deserializer<'de> for Lenient<'de> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(MapAccess::new(map, &[])),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Value::String(s) => match s.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => visitor.visit_bool(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" => visitor.visit_bool(false),
                _ => Err(de::Error::custom(format!("expected a boolean, got {s:?}"))),
            },
            Value::Number(n) => visitor.visit_bool(n.as_i64().unwrap_or(0) != 0),
            _ => self.deserialize_any(visitor),
        }
    }

    parse_num!(deserialize_i8, visit_i8, i8);
    parse_num!(deserialize_i16, visit_i16, i16);
    parse_num!(deserialize_i32, visit_i32, i32);
    parse_num!(deserialize_i64, visit_i64, i64);
    parse_num!(deserialize_u8, visit_u8, u8);
    parse_num!(deserialize_u16, visit_u16, u16);
    parse_num!(deserialize_u32, visit_u32, u32);
    parse_num!(deserialize_u64, visit_u64, u64);
    parse_num!(deserialize_f32, visit_f32, f32);
    parse_num!(deserialize_f64, visit_f64, f64);

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_str(if *b { "true" } else { "false" }),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            Value::String(s) if s.is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_seq(Seq(unwrap_list(self.0).iter()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _n: &'static str, _l: usize, visitor: V) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(MapAccess::new(map, fields)),
            Value::String(s) if s.trim().is_empty() => visitor.visit_map(MapAccess::new(&EMPTY, fields)),
            Value::Null => visitor.visit_map(MapAccess::new(&EMPTY, fields)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Value::String(s) if s.trim().is_empty() => visitor.visit_map(MapAccess::new(&EMPTY, &[])),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        de::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_any(visitor)
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, E> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A list as JSON sends it (an array) or as XmlSerializer sends it (a wrapper element whose children are the
/// items, all named after the item type: `{"FaxIdItem": [..]}` or `{"string": ".."}` for one item).
pub(crate) fn unwrap_list(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        Value::Null => &[],
        Value::String(s) if s.trim().is_empty() => &[],
        Value::Object(map) if map.len() == 1 => match map.values().next() {
            Some(Value::Array(items)) => items,
            Some(item) => std::slice::from_ref(item),
            None => &[],
        },
        other => std::slice::from_ref(other),
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = E;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, E> {
        match self.0.next() {
            Some(v) => seed.deserialize(Lenient(v)).map(Some),
            None => Ok(None),
        }
    }
}

struct MapAccess<'a> {
    entries: serde_json::map::Iter<'a>,
    fields: &'static [&'static str],
    pending: Option<&'a Value>,
}

impl<'a> MapAccess<'a> {
    fn new(map: &'a Map<String, Value>, fields: &'static [&'static str]) -> Self {
        MapAccess { entries: map.iter(), fields, pending: None }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = E;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.pending = Some(value);
        // Json.NET and our callers match member names ignoring case (as Json.NET does).
        let key = self.fields.iter().find(|f| f.eq_ignore_ascii_case(key)).copied().unwrap_or(key.as_str());
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        seed.deserialize(Lenient(self.pending.take().unwrap_or(&Value::Null)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Call {
        #[serde(rename = "PhoneNumber")]
        phone: Option<String>,
        #[serde(rename = "PagesSent")]
        pages: Option<u32>,
        #[serde(default)]
        done: bool,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Envelope {
        success: bool,
        #[serde(rename = "ErrorString")]
        error: Option<String>,
        #[serde(default)]
        result: Vec<Call>,
    }

    #[test]
    fn xml_lists_scalars_and_case_are_read_leniently() {
        let xml = br#"<ApiResultOfListOfCallContainer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <Success>true</Success><ErrorString /><Result><CallContainer><PhoneNumber>5105868243</PhoneNumber>
            <PagesSent>0</PagesSent><done>TRUE</done></CallContainer></Result></ApiResultOfListOfCallContainer>"#;
        let (root, value) = xml_to_value(xml).unwrap();
        assert_eq!(root, "ApiResultOfListOfCallContainer");
        let env: Envelope = from_value(&value).unwrap();
        assert!(env.success);
        assert_eq!(env.error, None);
        assert_eq!(env.result, vec![Call { phone: Some("5105868243".into()), pages: Some(0), done: true }]);
    }

    #[test]
    fn json_names_match_ignoring_case_and_numbers_read_as_text() {
        let v = serde_json::json!({"success": true, "RESULT": [{"phonenumber": 5551234, "pagessent": "3"}]});
        let env: Envelope = from_value(&v).unwrap();
        assert_eq!(env.result[0].phone.as_deref(), Some("5551234"));
        assert_eq!(env.result[0].pages, Some(3));
    }

    #[test]
    fn repeated_elements_become_arrays_and_nil_is_null() {
        let xml = br#"<a xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><r><s>1</s><s>2</s><s>3</s></r><n i:nil="true"/><t>x &amp; y</t></a>"#;
        let (_, v) = xml_to_value(xml).unwrap();
        assert_eq!(v, serde_json::json!({"r": {"s": ["1", "2", "3"]}, "n": null, "t": "x & y"}));
        let list: Vec<u8> = from_value(&v["r"]).unwrap();
        assert_eq!(list, vec![1, 2, 3]);
    }

    #[test]
    fn malformed_xml_is_a_decode_error() {
        assert!(xml_to_value(b"<a><b></a>").is_err());
        assert!(xml_to_value(b"").is_err());
        assert!(xml_to_value(b"<a>&bogus;</a>").is_err());
        let deep = "<a>".repeat(100_000);
        assert!(xml_to_value(deep.as_bytes()).is_err());
    }
}
