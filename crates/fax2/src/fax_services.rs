//! `GET /fax_services`: the account's fax numbers.

use crate::VENDOR;
use crate::client::Client;
use crate::model::{FaxServiceInfo, FaxServiceList};

/// Fax-service calls; get one with [`Client::fax_services`].
#[derive(Debug, Clone)]
pub struct FaxServicesHandler {
    client: Client,
}

impl Client {
    /// The account's fax services (its receiving numbers).
    pub fn fax_services(&self) -> FaxServicesHandler {
        FaxServicesHandler { client: self.clone() }
    }
}

impl FaxServicesHandler {
    /// Lists every fax service of the account.
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// for service in client.fax_services().list().await? {
    ///     println!("{} receives on +{}", service.id, service.fax_number);
    /// }
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn list(&self) -> faxkit::Result<Vec<FaxServiceInfo>> {
        let list: FaxServiceList = self.client.get_json_at(&["fax_services"]).await?;
        Ok(list.data)
    }
}
