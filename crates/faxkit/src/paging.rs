//! Pagination as a `futures::Stream`, written once for every vendor.

use std::future::Future;

use futures::{Stream, StreamExt, TryStreamExt};

use crate::error::Result;

/// Turns a page fetcher into a stream of items.
///
/// `fetch(cursor)` returns one page and the cursor of the next page (`None` when done). An empty page also
/// ends the stream, so a vendor that keeps answering empty pages cannot loop forever.
///
/// ```
/// # use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // Pages of 2 items, offset-style.
/// let items: Vec<u32> = faxkit::paging::paginate(0u32, |offset| async move {
///     let page: Vec<u32> = (offset..(offset + 2).min(5)).collect();
///     let next = (offset + 2 < 5).then_some(offset + 2);
///     Ok::<_, faxkit::Error>((page, next))
/// }).try_collect().await?;
/// assert_eq!(items, vec![0, 1, 2, 3, 4]);
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
pub fn paginate<C, T, F, Fut>(first: C, mut fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    C: Send + 'static,
    T: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<C>)>> + Send + 'static,
{
    futures::stream::try_unfold(Some(first), move |cursor| {
        let next_page = cursor.map(&mut fetch);
        async move {
            match next_page {
                None => Ok(None),
                Some(page) => {
                    let (items, next) = page.await?;
                    let next = if items.is_empty() { None } else { next };
                    Ok(Some((items, next)))
                }
            }
        }
    })
    .map_ok(|items| futures::stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
