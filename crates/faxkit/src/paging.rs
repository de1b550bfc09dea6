//! Pagination as a `futures::Stream`, written once for every vendor.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hash};

use futures::{Stream, StreamExt, TryStreamExt};

use crate::error::{Error, Result};

/// Most pages one listing fetches. A vendor that keeps naming new cursors (or new offsets) cannot keep a
/// listing going for ever: the page after the last one allowed is an [`Error::Decode`].
pub const MAX_PAGES: usize = 100_000;

/// Turns a page fetcher into a stream of items.
///
/// `fetch(cursor)` returns one page and the cursor of the next page (`None` when done). An empty page also
/// ends the stream (without comparable cursors nothing proves progress), and a listing stops with
/// [`Error::Decode`] after [`MAX_PAGES`] pages. Prefer [`paginate_unique`] when cursors can be compared.
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
pub fn paginate<C, T, F, Fut>(first: C, fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    C: Send + 'static,
    T: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<C>)>> + Send + 'static,
{
    run(first, |_: &C| None::<()>, true, fetch)
}

/// Like [`paginate`], for listings whose cursors prove progress: `key(cursor)` names a cursor (`None` for one
/// that cannot be compared). A next cursor whose key was seen before in this listing ends it with
/// [`Error::Decode`] (after the items of the page that named it), so a vendor sending the same link or id
/// again cannot loop the caller; an empty page with a next cursor continues; [`MAX_PAGES`] still applies.
///
/// ```
/// # use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // The first page is empty but links on; the second links back to the first.
/// let items: Vec<faxkit::Result<u32>> = futures::StreamExt::collect(faxkit::paging::paginate_unique(
///     0u32,
///     |c| Some(*c),
///     |c| async move { Ok::<_, faxkit::Error>((if c == 0 { vec![] } else { vec![c] }, Some(1 - c))) },
/// ))
/// .await;
/// assert_eq!(items.len(), 2);
/// assert_eq!(*items[0].as_ref().unwrap(), 1);
/// assert!(items[1].is_err());
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
pub fn paginate_unique<C, K, KF, T, F, Fut>(first: C, key: KF, fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    C: Send + 'static,
    K: Hash,
    KF: Fn(&C) -> Option<K> + Send + 'static,
    T: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<C>)>> + Send + 'static,
{
    run(first, key, false, fetch)
}

/// Where a listing stands between pages.
enum Next<C> {
    Cursor(C),
    Fail(Error),
    Done,
}

/// The state carried from page to page.
struct State<C, KF> {
    next: Next<C>,
    pages: usize,
    /// Hashes of the keys of every cursor followed so far (8 bytes each, at most [`MAX_PAGES`]).
    seen: HashSet<u64>,
    hasher: RandomState,
    key: KF,
}

fn run<C, K, KF, T, F, Fut>(first: C, key: KF, empty_ends: bool, mut fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    C: Send + 'static,
    K: Hash,
    KF: Fn(&C) -> Option<K> + Send + 'static,
    T: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<C>)>> + Send + 'static,
{
    let hasher = RandomState::new();
    let mut seen = HashSet::new();
    if let Some(k) = key(&first) {
        seen.insert(hasher.hash_one(&k));
    }
    let state = State { next: Next::Cursor(first), pages: 0, seen, hasher, key };
    futures::stream::try_unfold(state, move |mut state| {
        let page = match std::mem::replace(&mut state.next, Next::Done) {
            Next::Cursor(c) if state.pages < MAX_PAGES => Ok(Some(fetch(c))),
            Next::Cursor(_) => {
                Err(Error::decode("faxkit", format!("listing did not end after {MAX_PAGES} pages"), b"", None))
            }
            Next::Fail(e) => Err(e),
            Next::Done => Ok(None),
        };
        async move {
            let Some(page) = page? else { return Ok(None) };
            let (items, next) = page.await?;
            state.pages += 1;
            state.next = match next {
                None => Next::Done,
                Some(_) if empty_ends && items.is_empty() => Next::Done,
                Some(c) => match (state.key)(&c) {
                    Some(k) if !state.seen.insert(state.hasher.hash_one(&k)) => Next::Fail(Error::decode(
                        "faxkit",
                        "the next page's cursor was seen before in this listing: the vendor is not making progress",
                        b"",
                        None,
                    )),
                    _ => Next::Cursor(c),
                },
            };
            Ok(Some((items, state)))
        }
    })
    .map_ok(|items| futures::stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_listing_that_never_ends_stops_at_the_page_cap() {
        // Every page holds one item and names a new cursor: progress is never disproved, so only the cap ends it.
        let items: Vec<Result<u64>> =
            paginate(0u64, |c| async move { Ok((vec![c], Some(c + 1))) }).take(MAX_PAGES + 10).collect().await;
        assert_eq!(items.len(), MAX_PAGES + 1);
        let err = items.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(err, crate::Error::Decode { .. }), "{err:?}");
        let unique: Vec<Result<u64>> =
            paginate_unique(0u64, |c| Some(*c), |c| async move { Ok((vec![c], Some(c + 1))) })
                .take(MAX_PAGES + 10)
                .collect()
                .await;
        assert_eq!(unique.len(), MAX_PAGES + 1);
        assert!(unique.last().unwrap().is_err());
    }

    #[tokio::test]
    async fn paginate_unique_continues_past_empty_pages_and_refuses_a_repeated_cursor() {
        // 0 → [] next 1 → [1] next 2 → [] next 3 → [3] next 1 (seen).
        let fetch = |c: u32| async move {
            let items = if c % 2 == 1 { vec![c] } else { Vec::new() };
            let next = if c == 3 { 1 } else { c + 1 };
            Ok((items, Some(next)))
        };
        let items: Vec<Result<u32>> = paginate_unique(0u32, |c| Some(*c), fetch).take(20).collect().await;
        let ok: Vec<u32> = items.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
        assert_eq!(ok, vec![1, 3]);
        assert_eq!(items.len(), 3);
        let err = items[2].as_ref().unwrap_err();
        assert!(err.to_string().contains("seen before"), "{err}");
    }
}
