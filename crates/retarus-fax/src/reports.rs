//! Fax4A status reports: get, list, delete, delete oldest, bulk GET/DELETE, and draining past the 1000-report
//! window.
//!
//! A report lives only in the data center that processed its job, and jobs sent through an HA URL land in
//! either data center of the region. So every call here asks **every** data center of the region, in
//! parallel, and merges the answers; a data center that fails is reported in [`FanOut::failures`] instead of
//! failing the whole call (it fails only when every data center fails). Retarus: "Please do not send a status
//! query or delete request directly to an HA URL" (bulk operations page, docs.retarus.com).

use std::collections::{HashMap, HashSet};

use faxkit::http::Request;
use faxkit::{Error, ErrorKind, Result};
use futures::{Stream, StreamExt};
use reqwest::Method;

use crate::VENDOR;
use crate::client::{Api, Client, Endpoint};
use crate::model::jobs::JobId;
use crate::model::reports::{BulkAction, BulkRequest, FaxReport, FaxReports, JobDeleteReport, JobDeleteReports};
use crate::region::DataCenter;

/// Most job ids Retarus takes in one bulk call; longer lists are split.
pub const BULK_LIMIT: usize = 1000;

/// The merged answer of all data centers.
#[derive(Debug)]
#[non_exhaustive]
pub struct FanOut<T> {
    /// What the data centers that answered returned, merged.
    pub items: Vec<T>,
    /// The data centers that failed, with their errors.
    pub failures: Vec<DataCenterFailure>,
}

impl<T> FanOut<T> {
    /// Whether every data center answered.
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }
}

/// A data center that did not answer a fanned-out call.
#[derive(Debug)]
#[non_exhaustive]
pub struct DataCenterFailure {
    /// The data center whose call failed.
    pub data_center: DataCenter,
    /// What went wrong.
    pub error: Error,
}

/// Status reports. Get one with [`Client::reports`].
#[derive(Debug, Clone)]
pub struct Reports {
    client: Client,
}

impl Client {
    /// Fax4A status reports.
    pub fn reports(&self) -> Reports {
        Reports { client: self.clone() }
    }
}

fn tag_reports(mut reports: Vec<FaxReport>, dc: &Option<DataCenter>) -> Vec<FaxReport> {
    for r in &mut reports {
        r.data_center.clone_from(dc);
    }
    reports
}

fn tag_deletes(mut reports: Vec<JobDeleteReport>, dc: &Option<DataCenter>) -> Vec<JobDeleteReport> {
    for r in &mut reports {
        r.data_center.clone_from(dc);
    }
    reports
}

/// Whether an error means "this data center has no such report" (404; 400 on DELETE per the Swagger).
fn is_absent(err: &Error, delete: bool) -> bool {
    err.kind() == ErrorKind::NotFound || (delete && err.status() == Some(400))
}

impl Reports {
    fn path<'a>(&'a self, job: Option<&'a str>) -> Vec<&'a str> {
        let mut p = vec![self.client.inner.customer_number.as_str(), "fax", "reports"];
        p.extend(job);
        p
    }

    async fn get_in(&self, ep: &Endpoint, job_id: &JobId) -> Result<FaxReport> {
        let url = Client::url(&ep.http, &self.path(Some(job_id.as_str())))?;
        let req = Request::at(Method::GET, url);
        let mut report: FaxReport = self.client.send_read_json(&ep.http, Api::Fax4A, req).await?;
        report.data_center.clone_from(&ep.data_center);
        Ok(report)
    }

    async fn list_in(&self, ep: &Endpoint) -> Result<Vec<FaxReport>> {
        let url = Client::url(&ep.http, &self.path(None))?;
        let req = Request::at(Method::GET, url);
        let list: FaxReports = self.client.send_read_json(&ep.http, Api::Fax4A, req).await?;
        Ok(tag_reports(list.reports, &ep.data_center))
    }

    async fn delete_in(&self, ep: &Endpoint, job_id: &JobId) -> Result<JobDeleteReport> {
        let url = Client::url(&ep.http, &self.path(Some(job_id.as_str())))?;
        let req = Request::at(Method::DELETE, url);
        let mut r: JobDeleteReport = self.client.send_json(&ep.http, Api::Fax4A, req).await?;
        r.data_center.clone_from(&ep.data_center);
        Ok(r)
    }

    async fn delete_oldest_in(&self, ep: &Endpoint) -> Result<Vec<JobDeleteReport>> {
        let url = Client::url(&ep.http, &self.path(None))?;
        // Not idempotent: a repeat deletes the next 1000.
        let req = Request::at(Method::DELETE, url).non_idempotent();
        let list: JobDeleteReports = self.client.send_json(&ep.http, Api::Fax4A, req).await?;
        Ok(tag_deletes(list.reports, &ep.data_center))
    }

    async fn bulk_in<T: serde::de::DeserializeOwned>(
        &self,
        ep: &Endpoint,
        action: BulkAction,
        ids: &[JobId],
    ) -> Result<Vec<T>> {
        #[derive(serde::Deserialize)]
        #[serde(bound = "T: serde::de::DeserializeOwned")]
        struct Reports<T> {
            #[serde(default = "Vec::new")]
            reports: Vec<T>,
        }
        let url = Client::url(&ep.http, &self.path(None))?;
        let read = action == BulkAction::Get;
        let body = BulkRequest::new(action, ids.to_vec());
        // A bulk read or delete of named jobs may be repeated.
        let req = Request::at(Method::POST, url).json(VENDOR, &body)?.idempotent();
        let list: Reports<T> = if read {
            self.client.send_read_json(&ep.http, Api::Fax4A, req).await?
        } else {
            self.client.send_json(&ep.http, Api::Fax4A, req).await?
        };
        Ok(list.reports)
    }

    /// The report of one job, from whichever data center holds it.
    ///
    /// # Errors
    /// [`Error::NotFound`] when every data center says 404; when some say 404 and others fail, the failure
    /// (the report may be in the data center that did not answer).
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, job_id = %job_id))]
    pub async fn get(&self, job_id: &JobId) -> Result<FaxReport> {
        let results = self.client.fan_out(|ep| self.get_in(ep, job_id)).await;
        let mut failure = None;
        let mut not_found = None;
        for (_, r) in results {
            match r {
                Ok(report) => return Ok(report),
                Err(e) if is_absent(&e, false) => not_found = Some(e),
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        Err(failure.or(not_found).unwrap_or_else(|| not_found_error(job_id)))
    }

    /// The oldest (up to) 1000 reports of every data center, merged. See [`drain`](Self::drain) to read past
    /// those 1000.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] tokio_test(async {
    /// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let reports = client.reports().list().await?;
    /// for report in &reports.items {
    ///     println!("{} in {:?}: {}", report.job_id, report.data_center, report.delivery_status());
    /// }
    /// for failure in &reports.failures {
    ///     eprintln!("{} did not answer: {}", failure.data_center, failure.error);
    /// }
    /// # Ok::<(), faxkit::Error>(()) });
    /// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
    /// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
    /// ```
    ///
    /// # Errors
    /// The first error when every data center fails.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn list(&self) -> Result<FanOut<FaxReport>> {
        let results = self.client.fan_out(|ep| self.list_in(ep)).await;
        merge(results, |_: &_| None)
    }

    /// Deletes one job's report in whichever data center holds it.
    ///
    /// # Errors
    /// [`Error::NotFound`] when no data center has it; a data center's failure when none deleted it and one
    /// did not answer.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, job_id = %job_id))]
    pub async fn delete(&self, job_id: &JobId) -> Result<JobDeleteReport> {
        let results = self.client.fan_out(|ep| self.delete_in(ep, job_id)).await;
        let mut failure = None;
        for (_, r) in results {
            match r {
                Ok(report) if report.is_deleted() => return Ok(report),
                Ok(_) => {}
                Err(e) if is_absent(&e, true) => {}
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        Err(failure.unwrap_or_else(|| not_found_error(job_id)))
    }

    /// Deletes the oldest (up to) 1000 reports in every data center.
    ///
    /// # Errors
    /// The first error when every data center fails.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn delete_oldest(&self) -> Result<FanOut<JobDeleteReport>> {
        let results = self.client.fan_out(|ep| self.delete_oldest_in(ep)).await;
        merge(results, |_: &_| None)
    }

    /// The reports of many jobs (bulk `GET`), asked of every data center in calls of at most 1000 ids.
    ///
    /// # Errors
    /// The first error when every call to every data center fails.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, jobs = job_ids.len()))]
    pub async fn bulk_get(&self, job_ids: &[JobId]) -> Result<FanOut<FaxReport>> {
        let mut all = Vec::new();
        for chunk in job_ids.chunks(BULK_LIMIT) {
            let results = self
                .client
                .fan_out(|ep| async move {
                    let items: Vec<FaxReport> = self.bulk_in(ep, BulkAction::Get, chunk).await?;
                    Ok(tag_reports(items, &ep.data_center))
                })
                .await;
            all.extend(results);
        }
        merge(all, |r: &FaxReport| Some(r.job_id.clone()))
    }

    /// Deletes the reports of many jobs (bulk `DELETE`) in every data center, in calls of at most 1000 ids.
    /// The merged list has one entry per job, the deleting data center's where one deleted it.
    ///
    /// # Errors
    /// The first error when every call to every data center fails.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, jobs = job_ids.len()))]
    pub async fn bulk_delete(&self, job_ids: &[JobId]) -> Result<FanOut<JobDeleteReport>> {
        let mut all = Vec::new();
        for chunk in job_ids.chunks(BULK_LIMIT) {
            let results = self
                .client
                .fan_out(|ep| async move {
                    let items: Vec<JobDeleteReport> = self.bulk_in(ep, BulkAction::Delete, chunk).await?;
                    Ok(tag_deletes(items, &ep.data_center))
                })
                .await;
            all.extend(results);
        }
        let mut merged = merge(all, |_: &_| None)?;
        let mut out: Vec<JobDeleteReport> = Vec::new();
        let mut index: HashMap<JobId, usize> = HashMap::new();
        for r in merged.items.drain(..) {
            match index.get(&r.job_id) {
                Some(&i) => {
                    if let Some(kept) = out.get_mut(i)
                        && !kept.is_deleted()
                        && r.is_deleted()
                    {
                        *kept = r;
                    }
                }
                None => {
                    index.insert(r.job_id.clone(), out.len());
                    out.push(r);
                }
            }
        }
        merged.items = out;
        Ok(merged)
    }

    /// Every final report of every data center, past the 1000-report window: fetch a page, hand its final
    /// reports over, and once you ask for the item after the page, delete them (bulk `DELETE`) and fetch
    /// again. Reports still `PENDING` are neither handed over nor deleted.
    ///
    /// Each report is handed over at most once per drain. One that its data center does not delete comes as
    /// [`Drained::NotDeleted`] (with Retarus's reason) and is skipped on later pages, so it cannot come back
    /// forever. A data center that fails (listing or deleting) comes as [`Drained::DataCenterFailed`] and the
    /// drain goes on with the next one, as [`list`](Self::list) does; the reports of its last page were not
    /// deleted and come again next time.
    ///
    /// Delivery is at-least-once: if you stop in the middle of a page, that page is not deleted and comes
    /// again next time. A page with no new final report ends that data center (1000 pending or undeletable
    /// reports block the window until they change).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] tokio_test(async {
    /// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use futures::StreamExt;
    /// use retarus_fax::reports::Drained;
    /// let mut reports = std::pin::pin!(client.reports().drain());
    /// while let Some(item) = reports.next().await {
    ///     match item {
    ///         Drained::Report(report) => println!("{}: {}", report.job_id, report.delivery_status()), // store it
    ///         Drained::NotDeleted(n) => eprintln!("{} stays in {}: {:?}", n.job_id, n.data_center, n.reason),
    ///         Drained::DataCenterFailed(f) => eprintln!("{} failed: {}", f.data_center, f.error),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok::<(), faxkit::Error>(()) });
    /// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
    /// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
    /// ```
    pub fn drain(&self) -> impl Stream<Item = Drained> + Send + 'static {
        let state =
            DrainState { reports: self.clone(), dc: 0, pages: 0, handed_over: Vec::new(), skip: HashSet::new() };
        futures::stream::unfold(Some(state), |state| async move {
            let mut state = state?;
            let (events, more) = state.step().await;
            if events.is_empty() { None } else { Some((futures::stream::iter(events), more.then_some(state))) }
        })
        .flatten()
    }
}

/// One item of [`Reports::drain`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Drained {
    /// A final report, handed over once; it is deleted when you ask for the item after its page.
    Report(FaxReport),
    /// A report handed over earlier that its data center did not delete; it is not handed over again in
    /// this drain.
    NotDeleted(NotDeleted),
    /// A data center that failed; the drain went on with the next one.
    DataCenterFailed(DataCenterFailure),
}

/// A drained report its data center did not delete (bulk `DELETE` said `deleted: false`, or did not list it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotDeleted {
    /// The job id whose report was not deleted.
    pub job_id: JobId,
    /// The data center that holds it.
    pub data_center: DataCenter,
    /// Retarus's reason (`INTERNAL_ERROR`, …); `None` when the answer did not mention the job.
    pub reason: Option<crate::model::reports::DeleteReason>,
}

struct DrainState {
    reports: Reports,
    dc: usize,
    /// Pages fetched from the current data center.
    pages: usize,
    handed_over: Vec<JobId>,
    /// Ids handed over in the current data center: never handed over again.
    skip: HashSet<JobId>,
}

impl DrainState {
    fn next_data_center(&mut self) {
        self.dc += 1;
        self.pages = 0;
        self.handed_over.clear();
        self.skip.clear();
    }

    /// Deletes the last page, fetches the next one; the events, and whether to call again.
    async fn step(&mut self) -> (Vec<Drained>, bool) {
        let mut events = Vec::new();
        let client = self.reports.client.clone();
        loop {
            let Some(ep) = client.inner.data_centers.get(self.dc) else {
                return (events, false);
            };
            let data_center = ep.data_center.clone().unwrap_or(DataCenter::De1);
            match self.delete_handed_over(ep, &data_center).await {
                Ok(not_deleted) => events.extend(not_deleted.into_iter().map(Drained::NotDeleted)),
                Err(error) => {
                    events.push(Drained::DataCenterFailed(DataCenterFailure { data_center, error }));
                    self.next_data_center();
                    continue;
                }
            }
            if self.pages >= faxkit::paging::MAX_PAGES {
                let error = faxkit::Error::decode(
                    crate::VENDOR,
                    format!("the report listing did not end after {} pages", faxkit::paging::MAX_PAGES),
                    b"",
                    None,
                );
                events.push(Drained::DataCenterFailed(DataCenterFailure { data_center, error }));
                self.next_data_center();
                continue;
            }
            self.pages += 1;
            let page = match self.reports.list_in(ep).await {
                Ok(page) => page,
                Err(error) => {
                    events.push(Drained::DataCenterFailed(DataCenterFailure { data_center, error }));
                    self.next_data_center();
                    continue;
                }
            };
            let page: Vec<FaxReport> =
                page.into_iter().filter(|r| r.is_final() && !self.skip.contains(&r.job_id)).collect();
            if page.is_empty() {
                self.next_data_center();
                continue;
            }
            for r in &page {
                self.skip.insert(r.job_id.clone());
                self.handed_over.push(r.job_id.clone());
            }
            events.extend(page.into_iter().map(Drained::Report));
            return (events, true);
        }
    }

    async fn delete_handed_over(&mut self, ep: &Endpoint, data_center: &DataCenter) -> Result<Vec<NotDeleted>> {
        let mut not_deleted = Vec::new();
        for chunk in self.handed_over.chunks(BULK_LIMIT) {
            let answer: Vec<JobDeleteReport> = self.reports.bulk_in(ep, BulkAction::Delete, chunk).await?;
            let answer: HashMap<&JobId, &JobDeleteReport> = answer.iter().map(|r| (&r.job_id, r)).collect();
            for id in chunk {
                match answer.get(id) {
                    Some(r) if r.is_deleted() => {}
                    // Gone already: it cannot come back.
                    Some(r) if r.reason == Some(crate::model::reports::DeleteReason::NotFound) => {}
                    found => not_deleted.push(NotDeleted {
                        job_id: id.clone(),
                        data_center: data_center.clone(),
                        reason: found.and_then(|r| r.reason.clone()),
                    }),
                }
            }
        }
        self.handed_over.clear();
        Ok(not_deleted)
    }
}

fn not_found_error(job_id: &JobId) -> Error {
    Error::NotFound { vendor: VENDOR, message: format!("no data center has a report for job {job_id}") }
}

/// Merges per-data-center results, dropping items whose `key` was already kept.
fn merge<T>(results: Vec<(DataCenter, Result<Vec<T>>)>, key: impl Fn(&T) -> Option<JobId>) -> Result<FanOut<T>> {
    let total = results.len();
    let mut items: Vec<T> = Vec::new();
    let mut seen: HashSet<JobId> = HashSet::new();
    let mut failures = Vec::new();
    for (data_center, r) in results {
        match r {
            Ok(list) => items.extend(list.into_iter().filter(|item| key(item).is_none_or(|k| seen.insert(k)))),
            Err(error) => failures.push(DataCenterFailure { data_center, error }),
        }
    }
    if total > 0 && failures.len() == total {
        if let Some(first) = failures.into_iter().next() {
            return Err(first.error);
        }
        return Ok(FanOut { items, failures: Vec::new() });
    }
    for f in &failures {
        tracing::warn!(data_center = %f.data_center, error = %f.error, "data center did not answer");
    }
    Ok(FanOut { items, failures })
}
