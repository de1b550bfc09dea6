//! Wire types of the FaxCore REST API, one file per resource, plus the `<ApiResponse>` envelope.
//!
//! Element names are kept exactly as the FaxCore API reference spells them (`FaxID` in `GetFaxDetails`,
//! `FaxId` in `GetFaxList`); unknown elements are ignored.

pub(crate) mod envelope;
pub mod fax_status;
pub mod get_fax_details;
pub mod get_fax_list;
pub mod ids;
pub mod send_fax;
pub(crate) mod text;
pub mod time;

pub use fax_status::FaxCoreStatus;
pub use get_fax_details::{FaxDetails, FaxType};
pub use get_fax_list::{FileType, Folder};
pub use ids::FaxId;
pub use send_fax::FileFormat;
