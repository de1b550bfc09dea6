//! `Contact_*`: the address book (the WestFax API documentation and Postman collection). Current generation only.

use crate::model::{ContactItem, ContactVisibility, NameValueItem, Page};
use crate::operation::{Dialect, Operation, Params, ProductUse};

/// `Contact_GetContactList`: contacts of the client's fax line (or all the user sees without one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactGetContactList;

impl Operation for ContactGetContactList {
    type Output = Vec<ContactItem>;
    const CURRENT: Option<&'static str> = Some("Contact_GetContactList");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Optional;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

/// `Contact_GetAllContactList`: every contact of the user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactGetAllContactList;

impl Operation for ContactGetAllContactList {
    type Output = Vec<ContactItem>;
    const CURRENT: Option<&'static str> = Some("Contact_GetAllContactList");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

/// `Contact_GetContactList_ForSend_PagedSearch`: the contacts usable when sending, one page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactGetContactListForSendPagedSearch {
    page: u32,
    count: u32,
    search_string: Option<String>,
    filters: Vec<ContactVisibility>,
}

impl ContactGetContactListForSendPagedSearch {
    /// Page `page` (from 1) of `count` contacts.
    pub fn new(page: u32, count: u32) -> Self {
        ContactGetContactListForSendPagedSearch { page, count, search_string: None, filters: Vec::new() }
    }
}

faxkit::setters!(ContactGetContactListForSendPagedSearch {
    strings {
        /// Search text (`searchString`).
        search_string,
    }
    lists {
        /// Visibilities to include (`filters`, comma-joined).
        filters: ContactVisibility,
    }
});

impl Operation for ContactGetContactListForSendPagedSearch {
    type Output = Page;
    const CURRENT: Option<&'static str> = Some("Contact_GetContactList_ForSend_PagedSearch");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        let mut mp = vec![
            NameValueItem::new("page", self.page.to_string()),
            NameValueItem::new("count", self.count.to_string()),
        ];
        if let Some(s) = &self.search_string {
            mp.push(NameValueItem::new("searchString", s));
        }
        if !self.filters.is_empty() {
            let joined: Vec<&str> = self.filters.iter().map(|f| f.as_str()).collect();
            mp.push(NameValueItem::new("filters", joined.join(",")));
        }
        p.method_params(&mp);
        p
    }
}
