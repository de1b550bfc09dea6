//! SOAP Object: `POST {base}/SOAPObj`; every method takes one parameter, the API Request Object
//! (reference §11). Its WSDL is not public: the message is the method name in `https://api.westfax.com/`,
//! the parameter element `request` (the .NET parameter name, inferred) holding the same object as RPC XML;
//! SOAP 1.1 framing as the SOAP transport.

use super::{Call, Encoded, Encoder, PathCase, ResponseFormat, SoapVersion};

#[derive(Debug)]
pub(crate) struct SoapObject {
    pub case: PathCase,
}

/// The element holding the API Request Object.
pub(crate) const REQUEST_ELEMENT: &str = "request";

#[async_trait::async_trait]
impl Encoder for SoapObject {
    async fn encode(&self, call: Call) -> faxkit::Result<Encoded> {
        let object = Some((REQUEST_ELEMENT, call.method.as_str()));
        let (body, headers) = super::soap::wrap(SoapVersion::V11, &call.method, object, &call.params).await?;
        Ok(Encoded { path: self.case.apply("SOAPObj"), headers, body, format: ResponseFormat::Soap })
    }
}
