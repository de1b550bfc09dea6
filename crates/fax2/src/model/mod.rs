//! Wire types of the Fax2 API, one file per resource.
//!
//! Every response type ignores unknown keys: Fax2 minor versions add top-level keys without notice (Fax2 API,
//! "Versioning").

pub mod fax_services;
pub mod oauth2;
pub mod received_faxes;
pub mod send_fax;
pub mod sent_faxes;
pub mod upload_document;

pub use fax_services::{FaxServiceInfo, FaxServiceList, ServiceId};
pub use oauth2::{DEFAULT_EXPIRES_IN, TokenResponse};
pub use received_faxes::{ReceivedFax, ReceivedFaxId, ReceivedFaxesPage};
pub use send_fax::{SendFaxResponse, SentFaxId};
pub use sent_faxes::{FailureReason, SentFax, SentFaxStatus};
pub use upload_document::{
    DocumentId, SUPPORTED_DOCUMENT_TYPES, UploadedDocument, document_type_for_extension, is_supported_document_type,
};
