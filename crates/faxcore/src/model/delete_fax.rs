//! `DeleteFax`: the reply.

/// The `<DeleteFax>` element: `<Results>OK</Results>`.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub(crate) struct DeleteFaxBody {
    #[serde(rename = "Results")]
    pub(crate) results: String,
}
