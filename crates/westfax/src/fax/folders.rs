//! Fax-to-email paged searches and product folders.

use jiff::Timestamp;

use crate::model::{Direction, FaxIdItem, FilterValue, FolderItem, LoginId, MatchType, NameValueItem, Page};
use crate::operation::{Dialect, Operation, Params, ProductUse};

/// Options shared by the fax-to-email paged searches (`FaxInterface` in the C# SDK); all optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct F2EQuery {
    /// `FaxDirection` (the searches default to `Inbound`).
    pub direction: Option<Direction>,
    /// `FilterList1…`: only faxes whose filter value (read state) is one of these; every fax when empty.
    pub filter_list: Vec<FilterValue>,
    /// `StartDate`: the earliest fax date to include (UTC, sent in US `M/d/yyyy` form); left out when `None`.
    pub start_date: Option<Timestamp>,
    /// `EndDate` (the vendor SDK wrongly sends a second `StartDate`; this sends `EndDate`).
    pub end_date: Option<Timestamp>,
    /// `include0Page` (in `MethodParams`, `True`/`False`): whether faxes of zero pages are listed too; left out
    /// (WestFax's default) when `None`.
    pub include_zero_page: Option<bool>,
    /// Only faxes owned by this login (`ownerLoginId`).
    pub owner_login_id: Option<LoginId>,
}

impl F2EQuery {
    fn write(&self, p: &mut Params, page: u32, count: u32, extra: Vec<NameValueItem>) {
        p.text("FaxDirection", None, self.direction.as_ref());
        p.list("FilterList", None, "string", &self.filter_list);
        p.date("StartDate", None, self.start_date);
        p.date("EndDate", None, self.end_date);
        let mut mp = vec![NameValueItem::new("page", page.to_string()), NameValueItem::new("count", count.to_string())];
        if let Some(z) = self.include_zero_page {
            mp.push(NameValueItem::new("include0Page", if z { "True" } else { "False" }));
        }
        if let Some(o) = &self.owner_login_id {
            mp.push(NameValueItem::new("ownerLoginId", o.as_str()));
        }
        mp.extend(extra);
        p.method_params(&mp);
    }
}

/// `Fax_GetF2EFaxDescriptions_PagedSearch`: fax-to-email descriptions of the client's line, searched.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetF2EFaxDescriptionsPagedSearch {
    page: u32,
    count: u32,
    query: F2EQuery,
    csid: Option<String>,
    filter: Option<FilterValue>,
    number_match: Option<String>,
    state_match: Option<String>,
    city_match: Option<String>,
    string_match: Option<String>,
    match_type: Option<MatchType>,
}

impl FaxGetF2EFaxDescriptionsPagedSearch {
    /// Page `page` (from 1) of `count` (`FaxDirection` defaults to `Inbound`).
    pub fn new(page: u32, count: u32) -> Self {
        FaxGetF2EFaxDescriptionsPagedSearch {
            page,
            count,
            query: F2EQuery::default(),
            csid: None,
            filter: None,
            number_match: None,
            state_match: None,
            city_match: None,
            string_match: None,
            match_type: None,
        }
    }
}

faxkit::setters!(FaxGetF2EFaxDescriptionsPagedSearch {
    strings {
        /// `CSID`: only faxes with this station id (sent as the `CSID` field; WestFax does not say how it matches).
        csid,
        /// `numberMatch` (in `MethodParams`): a fax number to look for; WestFax does not document how it matches.
        number_match,
        /// `stateMatch` (in `MethodParams`): a state to look for; WestFax does not document how it matches.
        state_match,
        /// `cityMatch` (in `MethodParams`): a city to look for; WestFax does not document how it matches.
        city_match,
        /// `stringMatch` (in `MethodParams`): free text to look for; WestFax does not document which fields.
        string_match,
    }
    values {
        /// `Filter`: only faxes in this read state (`None` unread, `Retrieved`, `Removed`).
        filter: FilterValue,
        /// `matchType` (`And`/`Or`): whether every `…Match` given must hold or any one; WestFax's default is `Or`.
        match_type: MatchType,
    }
    plain {
        /// The shared options.
        query: F2EQuery,
    }
});

impl Operation for FaxGetF2EFaxDescriptionsPagedSearch {
    type Output = Page;
    const CURRENT: Option<&'static str> = Some("Fax_GetF2EFaxDescriptions_PagedSearch");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        let mut query = self.query.clone();
        query.direction.get_or_insert(Direction::Inbound);
        p.text("CSID", None, self.csid.as_ref());
        p.text("Filter", None, self.filter.as_ref());
        let extra = [
            ("numberMatch", self.number_match.clone()),
            ("stateMatch", self.state_match.clone()),
            ("cityMatch", self.city_match.clone()),
            ("stringMatch", self.string_match.clone()),
            ("matchType", self.match_type.as_ref().map(ToString::to_string)),
        ];
        let extra = extra.into_iter().filter_map(|(k, v)| v.map(|v| NameValueItem::new(k, v))).collect();
        query.write(&mut p, self.page, self.count, extra);
        p
    }
}

/// `Fax_GetAllF2EFaxDescriptions_Paged`: fax-to-email descriptions of every line, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetAllF2EFaxDescriptionsPaged {
    page: u32,
    count: u32,
    query: F2EQuery,
}

impl FaxGetAllF2EFaxDescriptionsPaged {
    /// Page `page` (from 1) of `count`.
    pub fn new(page: u32, count: u32) -> Self {
        FaxGetAllF2EFaxDescriptionsPaged { page, count, query: F2EQuery::default() }
    }
}

faxkit::setters!(FaxGetAllF2EFaxDescriptionsPaged {
    plain {
        /// The shared options.
        query: F2EQuery,
    }
});

impl Operation for FaxGetAllF2EFaxDescriptionsPaged {
    type Output = Page;
    const CURRENT: Option<&'static str> = Some("Fax_GetAllF2EFaxDescriptions_Paged");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Optional;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        self.query.write(&mut p, self.page, self.count, Vec::new());
        p
    }
}

/// `Fax_GetF2EFaxDescriptions_Paged`: fax-to-email descriptions of the client's line, optionally one folder.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetF2EFaxDescriptionsPaged {
    page: u32,
    count: u32,
    query: F2EQuery,
    folder: Option<FolderItem>,
}

impl FaxGetF2EFaxDescriptionsPaged {
    /// Page `page` (from 1) of `count`.
    pub fn new(page: u32, count: u32) -> Self {
        FaxGetF2EFaxDescriptionsPaged { page, count, query: F2EQuery::default(), folder: None }
    }
}

faxkit::setters!(FaxGetF2EFaxDescriptionsPaged {
    values {
        /// Only this folder (`ProductFolder`).
        folder: FolderItem,
    }
    plain {
        /// The shared options.
        query: F2EQuery,
    }
});

impl Operation for FaxGetF2EFaxDescriptionsPaged {
    type Output = Page;
    const CURRENT: Option<&'static str> = Some("Fax_GetF2EFaxDescriptions_Paged");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.object("ProductFolder", self.folder.as_ref());
        self.query.write(&mut p, self.page, self.count, Vec::new());
        p
    }
}

/// `Fax_MoveFaxToFolder`: moves faxes into a folder (no folder: back to the default).
#[derive(Debug, Clone, PartialEq)]
pub struct FaxMoveFaxToFolder {
    ids: Vec<FaxIdItem>,
    folder: Option<FolderItem>,
}

impl FaxMoveFaxToFolder {
    /// Moves these faxes.
    pub fn new(ids: impl IntoIterator<Item = FaxIdItem>) -> Self {
        FaxMoveFaxToFolder { ids: ids.into_iter().collect(), folder: None }
    }
}

faxkit::setters!(FaxMoveFaxToFolder {
    values {
        /// The target folder (`ProductFolder`).
        folder: FolderItem,
    }
});

impl Operation for FaxMoveFaxToFolder {
    type Output = bool;
    const CURRENT: Option<&'static str> = Some("Fax_MoveFaxToFolder");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;
    crate::operation::split_ids!(ids);

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.json_list("FaxIds", None, "FaxIdItem", &self.ids);
        p.object("ProductFolder", self.folder.as_ref());
        p
    }
}

macro_rules! folder_op {
    ($(#[$m:meta])* $name:ident, $method:literal, $out:ty, idempotent = $idem:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            folder: FolderItem,
        }

        impl $name {
            /// The call for `folder` (`ProductFolder`, its JSON).
            pub fn new(folder: FolderItem) -> Self {
                $name { folder }
            }
        }

        impl Operation for $name {
            type Output = $out;
            const CURRENT: Option<&'static str> = Some($method);
            const LEGACY: Option<&'static str> = None;
            const PRODUCT: ProductUse = ProductUse::Required;
            const IDEMPOTENT: bool = $idem;

            fn params(&self, dialect: Dialect) -> Params {
                let mut p = Params::new(dialect);
                p.object("ProductFolder", Some(&self.folder));
                p
            }
        }
    };
}

folder_op!(
    /// `Fax_DeleteProductFolder`: deletes an empty folder (move its faxes out first).
    FaxDeleteProductFolder, "Fax_DeleteProductFolder", bool, idempotent = true
);
folder_op!(
    /// `Fax_CheckProductFolderName`: whether a folder name is still free (`true` = available).
    FaxCheckProductFolderName, "Fax_CheckProductFolderName", bool, idempotent = true
);
folder_op!(
    /// `Fax_SaveProductFolder`: creates (no id) or renames a folder; returns it.
    FaxSaveProductFolder, "Fax_SaveProductFolder", FolderItem, idempotent = false
);

/// `Fax_GetProductFolderList`: the folders of the client's line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaxGetProductFolderList;

impl Operation for FaxGetProductFolderList {
    type Output = Vec<FolderItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetProductFolderList");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}
