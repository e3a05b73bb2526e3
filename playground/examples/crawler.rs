// Rust equivalent (tokio + reqwest) of examples/crawler.c.
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{timeout, Duration};

enum Page { Ok(u64), HttpError, TimedOut, Failed }

async fn crawl_page(url: String, limit: Duration, sem: Arc<Semaphore>) -> Page {
    let _permit = sem.acquire_owned().await.unwrap(); // ws_with_permit: released when this future ends or is dropped
    match timeout(limit, reqwest::get(&url)).await {   // the fetch, raced against the timeout
        Err(_) => Page::TimedOut,                      // the fetch was dropped: its request aborted
        Ok(Err(_)) => Page::Failed,                    // a network error
        Ok(Ok(r)) if r.status().as_u16() >= 400 => Page::HttpError,
        Ok(Ok(r)) => Page::Ok(r.content_length().unwrap_or(0)),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (base, n, limit, per_page) = ("http://127.0.0.1:8080/api/page/", 50, 4, Duration::from_millis(500));
    let (mut ok, mut http_errors, mut timeouts, mut failed, mut bytes) = (0, 0, 0, 0, 0);
    let sem = Arc::new(Semaphore::new(limit));
    let mut scope = JoinSet::new();                   // dropped (aborting what is left) if main is cancelled
    for i in 0..n {
        scope.spawn(crawl_page(format!("{base}{i}"), per_page, sem.clone()));
    }
    while let Some(done) = scope.join_next().await {  // whichever page finishes first
        match done.unwrap() {
            Page::Ok(b) => { ok += 1; bytes += b; }
            Page::HttpError => http_errors += 1,
            Page::TimedOut => timeouts += 1,
            Page::Failed => failed += 1,
        }
    }
    println!(r#"{{"urls": {n}, "ok": {ok}, "http_errors": {http_errors}, "timeouts": {timeouts}, "failed": {failed}, "bytes": {bytes}}}"#);
}
