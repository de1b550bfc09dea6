//! REST: `POST {base}/REST/{Method}/{json|json2|xml}` with a multipart form.
//!
//! Lists become numbered fields (reference §2.3): scalars `Numbers1…`, `Ids1…`, `StringParams1…` raw, objects
//! `FaxIds1…`, `MethodParams1…` as JSON text, files as streamed parts `Files0…` (the Postman collection,
//! npm client and web samples start files at 0).

use super::{Body, Call, Encoded, Encoder, PathCase, ResponseFormat, RestEncoding};
use crate::operation::ParamValue;

#[derive(Debug)]
pub(crate) struct Rest {
    pub encoding: RestEncoding,
    pub case: PathCase,
}

#[async_trait::async_trait]
impl Encoder for Rest {
    async fn encode(&self, call: Call) -> faxkit::Result<Encoded> {
        let mut form = reqwest::multipart::Form::new();
        for p in call.params {
            match p.value {
                ParamValue::Text(s) => form = form.text(p.name, s),
                ParamValue::Nil => {}
                ParamValue::List { values, .. } => {
                    for (i, v) in values.into_iter().enumerate() {
                        form = form.text(format!("{}{}", p.name, i + 1), v);
                    }
                }
                ParamValue::Json { values, .. } => {
                    for (i, v) in values.into_iter().enumerate() {
                        form = form.text(format!("{}{}", p.name, i + 1), v);
                    }
                }
                ParamValue::Object(v) => form = form.text(p.name, v),
                ParamValue::Files(docs) => {
                    for (i, d) in docs.into_iter().enumerate() {
                        let part = d.open().await?.into_part()?;
                        form = form.part(format!("{}{}", p.name, i), part);
                    }
                }
            }
        }
        let format = match self.encoding {
            RestEncoding::Xml => ResponseFormat::Xml,
            RestEncoding::Json | RestEncoding::Json2 => ResponseFormat::Json,
        };
        Ok(Encoded {
            path: format!("{}/{}/{}", self.case.apply("REST"), call.method, self.encoding.as_str()),
            headers: Vec::new(),
            body: Body::Form(form),
            format,
        })
    }
}
