//! The one send path of every operation, in five steps: resolve (names for the transport), authenticate
//! (credentials or session into the parameters), encode (the transport's request), send (faxkit's
//! `HttpClient::execute_unchecked`), decode ([`Reply::decode`], or a stream for documents).

use faxkit::Secret;
use faxkit::http::Request;

use super::{Client, SessionMode, SessionSnapshot};
use crate::VENDOR;
use crate::operation::{Dialect, Operation, Param, ParamValue, Params, ProductUse};
use crate::transport::{Call, Reply, RpcNaming};

/// An operation resolved for the client's transport: which method and message carry it, in which dialect,
/// under which session mode, with which parameters.
struct Resolved {
    dialect: Dialect,
    method: &'static str,
    mode: SessionMode,
    soap_message: Option<String>,
    params: Params,
}

impl Client {
    /// Sends `op` in the client's session (signing in when needed) or in `session`, and opens the answer.
    pub(crate) async fn send_request<O: Operation>(
        &self,
        op: &O,
        session: Option<SessionSnapshot>,
    ) -> faxkit::Result<Reply> {
        let resolved = self.resolve(op)?;
        let session = match (resolved.mode, session) {
            (SessionMode::Stateless, _) => None,
            (_, Some(given)) => Some(given),
            (_, None) => Some(self.session().await?),
        };
        let call = self.authenticate(op, resolved, session.as_ref())?;
        let request = self.encode::<O>(call).await?;
        let cookie = session.as_ref().and_then(|s| s.cookie.as_ref());
        let inner = &self.inner;
        Reply::send(&inner.http, request, cookie, inner.codec.format(), inner.body_limit).await
    }

    /// Resolve: the method name of the transport's generation, the SOAP message of the session mode and the
    /// operation's parameters in the transport's dialect; `Unsupported` when the transport cannot carry them.
    fn resolve<O: Operation>(&self, op: &O) -> faxkit::Result<Resolved> {
        op.validate()?;
        let transport = self.inner.transport;
        let dialect = match (transport.dialect(), self.inner.rpc_naming) {
            (Dialect::Object, RpcNaming::Legacy) => Dialect::LegacyObject,
            (d, _) => d,
        };
        let method = match dialect {
            Dialect::Soap => O::LEGACY,
            Dialect::LegacyObject => O::LEGACY.or(O::CURRENT),
            _ => O::CURRENT.or(O::LEGACY),
        };
        let Some(method) = method else {
            let name = O::CURRENT.or(O::LEGACY).unwrap_or("operation");
            let why = "current-generation method; the SOAP WSDL is the legacy API";
            return Err(faxkit::Error::unsupported(VENDOR, format!("{name} over {transport} ({why})")));
        };
        let mode = if O::SIGN_IN || !O::CREDENTIALS { SessionMode::Stateless } else { self.inner.session_mode };
        let soap_message = op.soap_message(mode.variant());
        if transport.is_soap() && soap_message.is_none() {
            let mode = self.inner.session_mode;
            let message = format!("{method} over SOAP in {mode:?} mode (the WSDL has no such message)");
            return Err(faxkit::Error::unsupported(VENDOR, message));
        }
        let params = op.params(dialect);
        if let Some(field) = params.unsupported().first() {
            let message = format!("{field} of {method} over {transport} (not in the legacy WSDL)");
            return Err(faxkit::Error::unsupported(VENDOR, message));
        }
        Ok(Resolved { dialect, method, mode, soap_message, params })
    }

    /// Authenticate: the credentials (`Username`, `Password`, `ProductId`) or the session token go into the
    /// parameters, before the operation's own; a cookie session adds nothing here (the cookie is a header).
    fn authenticate<O: Operation>(
        &self,
        op: &O,
        resolved: Resolved,
        session: Option<&SessionSnapshot>,
    ) -> faxkit::Result<Call> {
        let Resolved { dialect, method, mode, soap_message, params } = resolved;
        let mut out = Vec::new();
        if O::CREDENTIALS {
            let inner = &self.inner;
            let text = |name: &'static str, v: &str| Param { name, value: ParamValue::Text(v.to_owned()) };
            let product = match (dialect, O::PRODUCT) {
                (_, ProductUse::None) => None,
                (Dialect::Soap, _) if !O::SOAP_PRODUCT || mode != SessionMode::Stateless => None,
                (_, ProductUse::Optional) => inner.product_id.as_ref(),
                (_, ProductUse::Required) => Some(inner.product_id.as_ref().ok_or_else(|| {
                    faxkit::Error::invalid_input(VENDOR, "this call needs a ProductId (ClientBuilder::product_id)")
                })?),
            };
            match (mode, session) {
                (SessionMode::Token, Some(s)) => {
                    let name = if dialect == Dialect::Soap { op.soap_token_element() } else { "SessionToken" };
                    out.push(text(name, s.token.as_ref().map(Secret::expose).unwrap_or_default()));
                }
                (SessionMode::Cookie, Some(_)) => {}
                _ => {
                    out.push(text("Username", &inner.credentials.username));
                    out.push(text("Password", inner.credentials.password.expose()));
                    if dialect == Dialect::Soap
                        && soap_message.as_deref() == Some("MarkInboundFaxesDownloadedStateless")
                    {
                        out.push(text("SessionToken", ""));
                    }
                    if matches!(dialect, Dialect::Rest | Dialect::Object) && O::COOKIES_FLAG {
                        out.push(text("Cookies", "false"));
                    }
                }
            }
            if let Some(p) = product {
                out.push(text("ProductId", p.as_str()));
            }
        }
        out.extend(params.into_items());
        Ok(Call { method: method.to_owned(), soap_message, params: out })
    }

    /// Encode: the transport's request, repeatable when the operation is idempotent, with the transfer timeout
    /// when it carries documents.
    async fn encode<O: Operation>(&self, call: Call) -> faxkit::Result<Request> {
        let transfer = call.params.iter().any(|p| matches!(p.value, ParamValue::Files(_)));
        let mut request = self.inner.codec.encode(call).await?;
        if O::IDEMPOTENT {
            request = request.idempotent();
        }
        if transfer {
            request = request.transfer();
        }
        Ok(request)
    }
}
