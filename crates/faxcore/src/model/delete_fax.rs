//! `DeleteFax`: the reply.

/// The `<DeleteFax>` element: `<Results>OK</Results>`.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub(crate) struct DeleteFaxBody {
    #[serde(rename = "Results", alias = "results")]
    pub(crate) results: String,
}
