//! The six FaxCore resources ([`Operation`]): path, element name, method and whether a call may be repeated.

use std::fmt;

use faxkit::Idempotency;

/// The six resources of the FaxCore REST API, named and spelled as in the reference's URI templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST SendFax`.
    SendFax,
    /// `GET FaxStatus`.
    FaxStatus,
    /// `GET GetFaxList`.
    GetFaxList,
    /// `GET GetFaxDetails`.
    GetFaxDetails,
    /// `GET DownloadFax`.
    DownloadFax,
    /// `GET DeleteFax`.
    DeleteFax,
}

impl Operation {
    /// The resource name: the path under the base URL and the element name in `<ApiResponse>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::SendFax => "SendFax",
            Operation::FaxStatus => "FaxStatus",
            Operation::GetFaxList => "GetFaxList",
            Operation::GetFaxDetails => "GetFaxDetails",
            Operation::DownloadFax => "DownloadFax",
            Operation::DeleteFax => "DeleteFax",
        }
    }

    /// The HTTP method: `POST` for `SendFax`, `GET` for every other resource.
    pub fn method(self) -> reqwest::Method {
        match self {
            Operation::SendFax => reqwest::Method::POST,
            _ => reqwest::Method::GET,
        }
    }

    /// Sends and deletes are never repeated (a repeated `DeleteFax` of a fax already in `Trash` deletes it for
    /// good); reads may be retried.
    pub(crate) fn idempotency(self) -> Idempotency {
        match self {
            Operation::SendFax | Operation::DeleteFax => Idempotency::NonIdempotent,
            _ => Idempotency::Idempotent,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
