//! SOAP Object: `POST {base}/SOAPObj`; every method takes one parameter, the API Request Object (the WestFax API
//! documentation lists the endpoint). Its WSDL is not public: the message is the method name in
//! `https://api.westfax.com/`, the parameter element `request` (the .NET parameter name, inferred) holding the same
//! object as RPC XML; SOAP 1.1 framing as the SOAP transport.

use faxkit::http::Request;

use super::{Call, Codec, PathCase, ResponseFormat, SoapVersion};

#[derive(Debug)]
pub(crate) struct SoapObject {
    pub case: PathCase,
}

/// The element holding the API Request Object.
pub(crate) const REQUEST_ELEMENT: &str = "request";

#[async_trait::async_trait]
impl Codec for SoapObject {
    async fn encode(&self, call: Call) -> faxkit::Result<Request> {
        let object = Some((REQUEST_ELEMENT, call.method.as_str()));
        let request = Request::post(self.case.apply("SOAPObj"));
        super::soap::wrap(request, SoapVersion::V11, &call.method, object, &call.params).await
    }

    fn format(&self) -> ResponseFormat {
        ResponseFormat::Soap
    }
}
