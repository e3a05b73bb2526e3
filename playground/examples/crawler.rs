// Rust equivalent (tokio + reqwest) of examples/crawler.c.
use tokio::task::JoinSet;
use tokio::time::{timeout, Duration};

enum Page { Ok(u64), HttpError, TimedOut, Failed }

async fn crawl_page(url: String, limit: Duration) -> Page {
    match timeout(limit, reqwest::get(&url)).await {  // the fetch, raced against the timeout
        Err(_) => Page::TimedOut,                      // the fetch was dropped: its request aborted
        Ok(Err(_)) => Page::Failed,                    // a network error
        Ok(Ok(r)) if r.status().as_u16() >= 400 => Page::HttpError,
        Ok(Ok(r)) => Page::Ok(r.bytes().await.map(|b| b.len() as u64).unwrap_or(0)),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (base, n, limit, per_page) = ("http://127.0.0.1:8080/api/page/", 50, 4, Duration::from_millis(500));
    let (mut ok, mut http_errors, mut timeouts, mut failed, mut bytes) = (0, 0, 0, 0, 0);
    let mut scope = JoinSet::new();                   // dropped (aborting what is left) if main is cancelled
    let mut next = 0;
    loop {
        while next < n && scope.len() < limit {       // keep `limit` pages in flight
            scope.spawn(crawl_page(format!("{base}{next}"), per_page));
            next += 1;
        }
        let Some(done) = scope.join_next().await else { break };
        match done.unwrap() {
            Page::Ok(b) => { ok += 1; bytes += b; }
            Page::HttpError => http_errors += 1,
            Page::TimedOut => timeouts += 1,
            Page::Failed => failed += 1,
        }
    }
    println!(r#"{{"urls": {n}, "ok": {ok}, "http_errors": {http_errors}, "timeouts": {timeouts}, "failed": {failed}, "bytes": {bytes}}}"#);
}
