//! `GetFaxList`: the ids of the faxes in a folder.

use crate::model::ids::FaxId;

faxkit::open_enum! {
    /// A FaxCore folder, as `GetFaxList`'s `folder` parameter names it.
    ///
    /// The reference accepts exactly `Inbox`, `Outbox`, `Sent`, `Failed`, `Cancelled`, `Hold` and `Trash`;
    /// [`Folder::Other`] passes any other name through unchanged.
    pub enum Folder {
        /// `Inbox`: the account's received faxes (the reference names the folders without describing them).
        Inbox = "Inbox",
        /// Faxes waiting to be sent.
        Outbox = "Outbox",
        /// `Sent`: outgoing faxes that were sent (by the folder's name; not described further).
        Sent = "Sent",
        /// Faxes that failed.
        Failed = "Failed",
        /// `Cancelled`: outgoing faxes that were cancelled (by the folder's name).
        Cancelled = "Cancelled",
        /// Faxes on hold.
        Hold = "Hold",
        /// `Trash`: deleted faxes (by the folder's name; whether `DeleteFax` moves a fax here is not documented).
        Trash = "Trash",
    }
}

impl Folder {
    /// The seven folders the reference documents.
    pub const ALL: [Folder; 7] =
        [Folder::Inbox, Folder::Outbox, Folder::Sent, Folder::Failed, Folder::Cancelled, Folder::Hold, Folder::Trash];
}

faxkit::open_enum! {
    /// The file type of a fax image: `DownloadFax`'s `filetype` (and the value the reference gives for
    /// `GetFaxList`'s `isdownloaded`). Accepted values are `PDF` or `TIF`.
    pub enum FileType {
        /// Adobe PDF.
        Pdf = "PDF",
        /// TIFF (the reference spells it `TIF`).
        Tif = "TIF" | "TIFF",
    }
}

impl FileType {
    /// The MIME type of a file of this type (`application/pdf`, `image/tiff`).
    pub fn content_type(&self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Tif => "image/tiff",
            FileType::Other(_) => "application/octet-stream",
        }
    }
}

/// The `<GetFaxList>` element: one `<FaxId>` per fax.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub(crate) struct FaxListBody {
    #[serde(rename = "FaxId", default)]
    pub(crate) fax_ids: Vec<FaxId>,
}

impl crate::model::envelope::Reply for FaxListBody {
    fn has_result(&self) -> bool {
        !self.fax_ids.is_empty()
    }
}
