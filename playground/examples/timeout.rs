// Rust equivalent (tokio) of examples/timeout.c, with fake_fetch.h as an async fn.
use tokio::time::{sleep, Duration};

async fn fake_fetch(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await; // Pending until the timer fires
    ms * 10
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (work_ms, limit_ms) = (300, 150);
    let slow = fake_fetch(work_ms);
    let limit = sleep(Duration::from_millis(limit_ms));
    let out: i64 = tokio::select! {          // ready when either is; the other is dropped
        biased;                              // WS_SELECT_BIASED: poll in order
        bytes = slow => bytes as i64,        // the operation won: its bytes
        _ = limit => -1,                     // the timer won: `slow` was dropped, which cancels it
    };
    println!("{out}");
}
