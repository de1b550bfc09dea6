//! Retarus data centers and processing regions.
//!
//! Retarus runs each fax API in several data centers (DCs). The facts this module encodes (Retarus Fax4A REST
//! API documentation, "Fax for Applications API" server list; Fax2WSPull reference, "Servers"):
//!
//! | DC | city | Fax4A URL | HA group | Fax2WSPull URL |
//! |---|---|---|---|---|
//! | DE1 | Frankfurt | `https://faxws.de1.retarus.com/rest/v1/` | DE | `https://api.de1.retarus.com/faxin/rest/v1/` |
//! | DE2 | Munich | `https://faxws.de2.retarus.com/rest/v1/` | DE | `https://api.de2.retarus.com/faxin/rest/v1/` |
//! | US1 | Ashburn | `https://faxws.us1.retarus.com/rest/v1/` | US | `https://api.us1.retarus.com/faxin/rest/v1/` |
//! | US2 | Secaucus | `https://faxws.us2.retarus.com/rest/v1/` | US | `https://api.us2.retarus.com/faxin/rest/v1/` |
//! | CH1 | Zurich | `https://faxws.ch1.retarus.com/rest/v1/` | none | `https://api.ch1.retarus.com/faxin/rest/v1/` |
//! | SG1 | Singapore | `https://faxws.sg1.retarus.com/rest/v1/` | none | `https://api.sg1.retarus.com/faxin/rest/v1/` |
//!
//! HA URLs exist for DE (`https://faxws-ha.de.retarus.com/rest/v1/`) and US
//! (`https://faxws-ha.us.retarus.com/rest/v1/`). A job sent through an HA URL is processed, and its status report
//! kept, in one of the region's DCs, so report reads and deletes must go to every DC of the region and never to
//! the HA URL. CH and SG have a single DC and no documented HA URL (the official SDKs' `faxws-ha.ch`/`faxws-ha.sg`
//! hosts are not in Retarus's documentation), so sends there go to the DC itself.

use std::fmt;

/// One Retarus data center, or a custom pair of URLs (a proxy, a mock server, the sandbox).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataCenter {
    /// Frankfurt, Germany.
    De1,
    /// Munich, Germany.
    De2,
    /// Ashburn, United States.
    Us1,
    /// Secaucus, United States.
    Us2,
    /// Zurich, Switzerland.
    Ch1,
    /// SG1, Singapore: `faxws.sg1.retarus.com` and `api.sg1.retarus.com`; no HA URL is documented.
    Sg1,
    /// A data center at URLs of your choice.
    Custom {
        /// A name for logs and fan-out results (`"DC1"`).
        name: String,
        /// The Fax4A base URL (ending in `/rest/v1/` on real hosts).
        fax4a_url: String,
        /// The Fax2WSPull base URL (ending in `/faxin/rest/v1/` on real hosts).
        pull_url: String,
    },
}

impl DataCenter {
    /// The six Retarus data centers.
    pub const ALL: [DataCenter; 6] =
        [DataCenter::De1, DataCenter::De2, DataCenter::Us1, DataCenter::Us2, DataCenter::Ch1, DataCenter::Sg1];

    /// A custom data center.
    pub fn custom(name: impl Into<String>, fax4a_url: impl Into<String>, pull_url: impl Into<String>) -> Self {
        DataCenter::Custom { name: name.into(), fax4a_url: fax4a_url.into(), pull_url: pull_url.into() }
    }

    /// The data center's code: `DE1`, `DE2`, `US1`, `US2`, `CH1`, `SG1` or the custom name.
    pub fn name(&self) -> &str {
        match self {
            DataCenter::De1 => "DE1",
            DataCenter::De2 => "DE2",
            DataCenter::Us1 => "US1",
            DataCenter::Us2 => "US2",
            DataCenter::Ch1 => "CH1",
            DataCenter::Sg1 => "SG1",
            DataCenter::Custom { name, .. } => name,
        }
    }

    /// Parses a data center code (`de1`, `US2`, …), case-insensitively.
    pub fn from_code(code: &str) -> Option<Self> {
        DataCenter::ALL.into_iter().find(|dc| dc.name().eq_ignore_ascii_case(code.trim()))
    }

    fn host_code(&self) -> Option<&'static str> {
        Some(match self {
            DataCenter::De1 => "de1",
            DataCenter::De2 => "de2",
            DataCenter::Us1 => "us1",
            DataCenter::Us2 => "us2",
            DataCenter::Ch1 => "ch1",
            DataCenter::Sg1 => "sg1",
            DataCenter::Custom { .. } => return None,
        })
    }

    /// The Fax4A REST v1 base URL of this data center.
    ///
    /// ```
    /// # use retarus_fax::DataCenter;
    /// assert_eq!(DataCenter::De2.fax4a_url(), "https://faxws.de2.retarus.com/rest/v1/");
    /// ```
    pub fn fax4a_url(&self) -> String {
        match (self, self.host_code()) {
            (DataCenter::Custom { fax4a_url, .. }, _) => fax4a_url.clone(),
            (_, Some(code)) => format!("https://faxws.{code}.retarus.com/rest/v1/"),
            (_, None) => String::new(),
        }
    }

    /// The Fax2WSPull base URL of this data center.
    ///
    /// ```
    /// # use retarus_fax::DataCenter;
    /// assert_eq!(DataCenter::Us1.pull_url(), "https://api.us1.retarus.com/faxin/rest/v1/");
    /// ```
    pub fn pull_url(&self) -> String {
        match (self, self.host_code()) {
            (DataCenter::Custom { pull_url, .. }, _) => pull_url.clone(),
            (_, Some(code)) => format!("https://api.{code}.retarus.com/faxin/rest/v1/"),
            (_, None) => String::new(),
        }
    }

    /// The processing region the data center belongs to (`None` for custom ones).
    pub fn region(&self) -> Option<Region> {
        Some(match self {
            DataCenter::De1 | DataCenter::De2 => Region::De,
            DataCenter::Us1 | DataCenter::Us2 => Region::Us,
            DataCenter::Ch1 => Region::Ch,
            DataCenter::Sg1 => Region::Sg,
            DataCenter::Custom { .. } => return None,
        })
    }
}

impl fmt::Display for DataCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Retarus processing region: where sends go (the HA URL where one exists) and which data centers hold the
/// status reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Region {
    /// Germany: HA URL, DE1 and DE2.
    De,
    /// United States: HA URL, US1 and US2.
    Us,
    /// Switzerland: CH1 only, no HA URL.
    Ch,
    /// Singapore: SG1 only, no HA URL.
    Sg,
    /// Your own URLs (sandbox, proxy, mock server).
    Custom(CustomRegion),
}

/// The URLs of a custom region.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomRegion {
    /// Where sends go (the role of the HA URL).
    pub send_url: String,
    /// Where status reports are read and deleted; every one is asked.
    pub data_centers: Vec<DataCenter>,
}

impl CustomRegion {
    /// A custom region with a send URL and its report data centers.
    pub fn new(send_url: impl Into<String>, data_centers: Vec<DataCenter>) -> Self {
        CustomRegion { send_url: send_url.into(), data_centers }
    }

    /// The layout of one server that serves both APIs (the sandbox, a mock): Fax4A under `{base}rest/v1/`,
    /// Fax2WSPull under `{base}faxin/rest/v1/`, one data center named `CUSTOM`.
    pub fn from_base_url(base: &str) -> Self {
        let base = with_slash(base);
        let dc = DataCenter::custom("CUSTOM", format!("{base}rest/v1/"), format!("{base}faxin/rest/v1/"));
        CustomRegion { send_url: format!("{base}rest/v1/"), data_centers: vec![dc] }
    }
}

pub(crate) fn with_slash(url: &str) -> String {
    let t = url.trim();
    if t.ends_with('/') { t.to_owned() } else { format!("{t}/") }
}

impl Region {
    /// Parses a region code (`DE`, `US`, `CH`, `SG`), case-insensitively.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_uppercase().as_str() {
            "DE" | "EU" | "EUROPE" | "GERMANY" => Some(Region::De),
            "US" | "USA" | "AMERICA" => Some(Region::Us),
            "CH" | "SWITZERLAND" => Some(Region::Ch),
            "SG" | "SINGAPORE" | "ASIA" => Some(Region::Sg),
            _ => None,
        }
    }

    /// The HA URL, where Retarus documents one (DE and US).
    pub fn ha_url(&self) -> Option<String> {
        match self {
            Region::De => Some("https://faxws-ha.de.retarus.com/rest/v1/".to_owned()),
            Region::Us => Some("https://faxws-ha.us.retarus.com/rest/v1/".to_owned()),
            Region::Ch | Region::Sg => None,
            Region::Custom(c) => Some(c.send_url.clone()),
        }
    }

    /// The data centers that hold the region's status reports, in order.
    pub fn data_centers(&self) -> Vec<DataCenter> {
        match self {
            Region::De => vec![DataCenter::De1, DataCenter::De2],
            Region::Us => vec![DataCenter::Us1, DataCenter::Us2],
            Region::Ch => vec![DataCenter::Ch1],
            Region::Sg => vec![DataCenter::Sg1],
            Region::Custom(c) => c.data_centers.clone(),
        }
    }

    /// Where sends go by default: the HA URL, or the only data center of a region without one.
    pub fn send_url(&self) -> String {
        self.ha_url().unwrap_or_else(|| self.data_centers().first().map(DataCenter::fax4a_url).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_documented_hosts() {
        assert_eq!(Region::De.send_url(), "https://faxws-ha.de.retarus.com/rest/v1/");
        assert_eq!(Region::Ch.send_url(), "https://faxws.ch1.retarus.com/rest/v1/");
        assert_eq!(Region::Sg.send_url(), "https://faxws.sg1.retarus.com/rest/v1/");
        assert_eq!(Region::Us.data_centers(), vec![DataCenter::Us1, DataCenter::Us2]);
        assert_eq!(DataCenter::Sg1.pull_url(), "https://api.sg1.retarus.com/faxin/rest/v1/");
        assert_eq!(DataCenter::from_code("de2"), Some(DataCenter::De2));
        assert_eq!(Region::from_code("us"), Some(Region::Us));
        let c = CustomRegion::from_base_url("http://127.0.0.1:9");
        assert_eq!(c.send_url, "http://127.0.0.1:9/rest/v1/");
        assert_eq!(c.data_centers[0].pull_url(), "http://127.0.0.1:9/faxin/rest/v1/");
    }
}
