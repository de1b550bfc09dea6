//! The FaxCore fax id.

use crate::VENDOR;

faxkit::id_type! {
    /// A FaxCore fax id, as returned by `SendFax` and `GetFaxList` (`209608080375`): a 64-bit number, written
    /// in decimal digits on the wire.
    ///
    /// ```
    /// # use faxcore::FaxId;
    /// let id: FaxId = "209608080375".parse()?;
    /// assert_eq!(id.get(), 209_608_080_375);
    /// assert_eq!(faxkit::FaxId::from(id).as_str(), "209608080375");
    /// assert!("12a".parse::<FaxId>().is_err());
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    pub struct FaxId(u64) for VENDOR;
}
