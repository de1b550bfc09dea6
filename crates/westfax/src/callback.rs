//! Parsing the callbacks WestFax makes to a [`CallbackUrl`](crate::fax::CallbackUrl) template.
//!
//! WestFax fills the template's `{@jobid}`, `{@prodid}` and `{@dir}` and calls it (GET or POST); nothing else is sent
//! and nothing is signed (the WestFax API documentation, Fax_SendFax `CallbackUrl`). Name the query parameters as you
//! like in the template; [`CallbackEvent::from_query`] reads the usual names.

use crate::model::{Direction, FaxId, ProductId};

/// A callback, read from its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackEvent {
    /// `{@jobid}`.
    pub job_id: FaxId,
    /// `{@prodid}`.
    pub product_id: Option<ProductId>,
    /// `{@dir}`.
    pub direction: Option<Direction>,
}

impl CallbackEvent {
    /// Reads `jobid`/`jobId`/`id`, `prodid`/`prod`/`productId` and `dir`/`direction` (any case) from a query
    /// string (with or without the leading `?`), percent-decoded.
    ///
    /// ```
    /// use westfax::callback::CallbackEvent;
    /// let e = CallbackEvent::from_query("?jobid=6b98617b-932c-46d7-8800-a5325640c91b&prod=p1&dir=Inbound")?;
    /// assert_eq!(e.job_id.as_str(), "6b98617b-932c-46d7-8800-a5325640c91b");
    /// assert_eq!(e.direction, Some(westfax::model::Direction::Inbound));
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] when no job id is present.
    pub fn from_query(query: &str) -> faxkit::Result<Self> {
        let q = query.trim_start_matches('?');
        let mut job = None;
        let mut prod = None;
        let mut dir = None;
        for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
            let v = v.trim().to_owned();
            if v.is_empty() {
                continue;
            }
            match k.to_ascii_lowercase().as_str() {
                "jobid" | "id" | "job" => job = Some(FaxId::new(v)),
                "prodid" | "prod" | "productid" => prod = Some(ProductId::new(v)),
                "dir" | "direction" => dir = Some(Direction::from_wire(&v)),
                _ => {}
            }
        }
        let job_id = job.ok_or_else(|| faxkit::Error::invalid_input(crate::VENDOR, "callback has no job id"))?;
        Ok(CallbackEvent { job_id, product_id: prod, direction: dir })
    }

    /// The reference to fetch details with (`Fax_GetFaxDescriptionsUsingIds`, `Fax_GetFaxDocuments`).
    pub fn fax(&self) -> crate::model::FaxIdItem {
        crate::model::FaxIdItem { id: self.job_id.clone(), direction: self.direction.clone(), date: None, tag: None }
    }
}

impl crate::fax::CallbackUrl {
    /// A template calling `base` with `jobid`, `prodid` and `dir` query parameters, which
    /// [`CallbackEvent::from_query`] reads back.
    ///
    /// # Errors
    /// As [`CallbackUrl::new`](crate::fax::CallbackUrl::new).
    pub fn standard(method: crate::fax::CallbackMethod, base: &str) -> faxkit::Result<Self> {
        let sep = if base.contains('?') { '&' } else { '?' };
        Self::new(method, format!("{base}{sep}jobid={{@jobid}}&prodid={{@prodid}}&dir={{@dir}}"))
    }
}
