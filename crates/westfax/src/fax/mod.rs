//! `Fax_*`: sending, status, descriptions, documents, filters, cover pages and folders (the WestFax API documentation
//! and Postman collection).
//!
//! `Fax_SendFax`, `Fax_GetFaxStatus` and `Fax_GetBroadcastFaxStatus` exist in both generations (legacy
//! `SendFax`, `GetFaxStatus`, `GetBroadcastFaxStatus`) and work over every transport; the others are current
//! generation only and return [`faxkit::Error::Unsupported`] over SOAP.

/// The most fax or job ids WestFax takes in one call (`FaxIds1…`, `Ids1…`): "Up to 10 fax ids can be sent in
/// one call", the vendor's npm client (github.com/westfax/westfax-npm 1.1). Longer lists of status reads,
/// descriptions, documents, filter changes and folder moves are split into calls of 10 by
/// [`Client::call`](crate::Client::call) and their answers joined ([`Operation::split`](crate::Operation::split));
/// `Fax_ResendFaxNotification`, which is not safe to repeat, refuses more than 10.
pub const IDS_PER_CALL: usize = 10;

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
    MAX_FILES, MAX_NUMBERS,
};
