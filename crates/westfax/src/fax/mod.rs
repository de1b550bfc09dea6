//! `Fax_*`: sending, status, descriptions, documents, filters, cover pages and folders (reference §6.4–§6.5).
//!
//! `Fax_SendFax`, `Fax_GetFaxStatus` and `Fax_GetBroadcastFaxStatus` exist in both generations (legacy
//! `SendFax`, `GetFaxStatus`, `GetBroadcastFaxStatus`) and work over every transport; the others are current
//! generation only and return [`faxkit::Error::Unsupported`] over SOAP.

mod folders;
mod query;
mod send;

pub use folders::{
    F2EQuery, FaxCheckProductFolderName, FaxDeleteProductFolder, FaxGetAllF2EFaxDescriptionsPaged,
    FaxGetF2EFaxDescriptionsPaged, FaxGetF2EFaxDescriptionsPagedSearch, FaxGetProductFolderList, FaxMoveFaxToFolder,
    FaxSaveProductFolder,
};
pub use query::{
    FaxCancelFax, FaxChangeFaxFilterValue, FaxGetBroadcastFaxStatus, FaxGetFaxDescriptions,
    FaxGetFaxDescriptionsUsingIds, FaxGetFaxDocuments, FaxGetFaxIdentifiers, FaxGetFaxStatus,
    FaxGetProductsWithInboundFaxes, FaxResendFaxFeedback, FaxResendFaxNotification, FaxSaveFaxFields,
    FaxSendFaxAsEmail,
};
pub use send::{
    CALLBACK_PLACEHOLDERS, CallbackMethod, CallbackUrl, FaxConvertToFaxDocument, FaxGetCoverPages, FaxSendFax,
};
