//! Sessions: stateless calls, or one sign-in kept as a cookie or a token and renewed once when it expires.

use faxkit::Secret;

use super::Client;
use crate::VENDOR;
use crate::legacy::SetProductId;
use crate::operation::SoapVariant;
use crate::security::SecurityAuthenticate;

/// How the client authenticates calls (the WestFax API documentation, `Security_Authenticate`; the WSDL's
/// `…Stateless`, `…StatefulCookie` and `…StatefulNoCookie` messages).
///
/// In the stateful modes over SOAP, the client signs in with `Authenticate` and then binds the configured fax
/// line with the WSDL's `SetProductId` before the first operation (the stateful SOAP messages carry no
/// `ProductId`); a refused `SetProductId` fails the call and keeps no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SessionMode {
    /// `Username`/`Password` (and `ProductId`) on every call; SOAP `…Stateless` messages. The default.
    #[default]
    Stateless,
    /// Sign in once with `Cookies=true`; the client keeps the `ASP.NET_SessionId` cookie and sends it;
    /// SOAP `…StatefulCookie` messages.
    Cookie,
    /// Sign in once with `Cookies=false`; the client sends the returned token as `SessionToken` in each body;
    /// SOAP `…StatefulNoCookie` messages.
    Token,
}

impl SessionMode {
    pub(super) fn variant(self) -> SoapVariant {
        match self {
            SessionMode::Stateless => SoapVariant::Stateless,
            SessionMode::Cookie => SoapVariant::StatefulCookie,
            SessionMode::Token => SoapVariant::StatefulNoCookie,
        }
    }
}

/// The session a client keeps (both empty: signed out).
#[derive(Default)]
pub(super) struct Session {
    token: Option<Secret>,
    cookie: Option<Secret>,
}

/// A copy of the session, for one call.
#[derive(Clone)]
pub(crate) struct SessionSnapshot {
    pub(super) token: Option<Secret>,
    pub(super) cookie: Option<Secret>,
}

impl Client {
    /// Signs in when the session is empty; returns the current session.
    pub(super) async fn session(&self) -> faxkit::Result<SessionSnapshot> {
        let mut guard = self.inner.session.lock().await;
        if guard.token.is_none() && guard.cookie.is_none() {
            let cookies = self.inner.session_mode == SessionMode::Cookie;
            let mut op = SecurityAuthenticate::new().cookies(cookies);
            // SOAP binds the fax line with `SetProductId` below, the WSDL's operation for it; the REST/RPC
            // sign-in takes `ProductId` itself (the vendor's SDK and Postman collection send it there).
            let soap = self.inner.transport.is_soap();
            if !soap {
                op.product_id = self.inner.product_id.clone();
            }
            let reply = Box::pin(self.send_request(&op, None)).await?;
            let cookie = reply.session_cookie();
            // Cookie mode lives on the cookie: a null or absent `Result` is a valid sign-in there (the WSDL's
            // `ApiResultOfString.Result` is minOccurs="0"). Token mode needs the token it sends back.
            let token: Option<String> = reply.decode().await?;
            let token = token.filter(|t| !t.is_empty());
            if cookies {
                guard.cookie = Some(Secret::new(cookie.ok_or_else(|| {
                    faxkit::Error::decode(VENDOR, "sign-in with Cookies=true set no ASP.NET_SessionId", b"", None)
                })?));
            } else if token.is_none() {
                let message = "sign-in with Cookies=false returned no session token in Result";
                return Err(faxkit::Error::decode(VENDOR, message, b"", None));
            }
            guard.token = token.map(Secret::new);
            if soap && let Some(product) = self.inner.product_id.clone() {
                // Before the first operation: a session whose line is not bound is dropped, not kept.
                let snapshot = SessionSnapshot { token: guard.token.clone(), cookie: guard.cookie.clone() };
                let bound = async {
                    let reply = Box::pin(self.send_request(&SetProductId::new(product), Some(snapshot))).await?;
                    reply.decode::<Option<String>>().await
                };
                if let Err(e) = bound.await {
                    *guard = Session::default();
                    return Err(e);
                }
            }
        }
        Ok(SessionSnapshot { token: guard.token.clone(), cookie: guard.cookie.clone() })
    }

    /// Whether `e` says the stateful session is gone (then the call is repeated once after signing in again).
    pub(super) fn session_expired(&self, e: &faxkit::Error) -> bool {
        if self.inner.session_mode == SessionMode::Stateless {
            return false;
        }
        let detail = e.vendor_detail::<crate::ApiError>().is_some_and(crate::ApiError::is_session_expired);
        detail || matches!(e, faxkit::Error::Auth { message, .. } if message.to_ascii_lowercase().contains("session"))
    }

    /// Signs in now (stateful modes); stateless clients need not call it.
    ///
    /// # Errors
    /// [`faxkit::Error::Auth`] for refused credentials.
    pub async fn sign_in(&self) -> faxkit::Result<()> {
        if self.inner.session_mode != SessionMode::Stateless {
            self.session().await?;
        }
        Ok(())
    }

    /// Forgets the session; the next call signs in again.
    pub async fn sign_out(&self) {
        let mut s = self.inner.session.lock().await;
        *s = Session::default();
    }
}
