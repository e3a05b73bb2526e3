// Rust equivalent (tokio) of examples/abort.c: the parent's JoinSet is its scope.
use tokio::task::JoinSet;
use tokio::time::{sleep, Duration};
use std::sync::{Arc, atomic::{AtomicI64, Ordering}};

async fn worker(tick_ms: u64, n: i64, count: Arc<AtomicI64>) -> i64 {
    for _ in 0..n {
        sleep(Duration::from_millis(tick_ms)).await;
        count.fetch_add(1, Ordering::Relaxed); // C points into the parent's frame: a child cannot outlive it
    }
    n
}

async fn parent(tick_ms: u64, n: i64) -> i64 {
    let count = Arc::new(AtomicI64::new(0));
    let mut scope = JoinSet::new();               // WS_ASYNC_SCOPE: dropping the set aborts every task in it
    for k in 1..=3 {
        scope.spawn(worker(tick_ms * k, n, count.clone())); // 1x, 2x, 3x the tick
    }
    while scope.join_next().await.is_some() {}    // wait for all three
    count.load(Ordering::Relaxed)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (abort_ms, tick_ms, n) = (250, 100, 5);
    let mut scope = JoinSet::new();
    let parent_handle = scope.spawn(parent(tick_ms, n));
    sleep(Duration::from_millis(abort_ms)).await;
    parent_handle.abort();                        // drops the parent's future, and with it its JoinSet
    let out = match scope.join_next().await.unwrap() {
        Err(e) if e.is_cancelled() => -1,         // aborted: its three workers were aborted with it
        Ok(ticks) => ticks,
        Err(e) => panic!("{e}"),
    };
    println!("{out}");
}
