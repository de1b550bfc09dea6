//! `POST /send_fax`.

faxkit::id_type! {
    /// An outgoing fax, as `send_fax` returns it and `sent_faxes/{id}` takes it.
    pub struct SentFaxId;
}

/// The `send_fax` response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct SendFaxResponse {
    /// The queued fax.
    pub id: SentFaxId,
    /// Pages in the resulting fax.
    pub pages: u32,
}
