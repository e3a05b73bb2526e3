// Rust equivalent (tokio) of examples/sequential.c, with fake_fetch.h as an async fn.
use tokio::time::{sleep, Duration};

// A stand-in for a network request: "downloads" for `ms` milliseconds, returns the bytes it got.
async fn fake_fetch(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await; // Pending until the timer fires
    ms * 10                                 // pretend: 10 bytes per millisecond
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (a_ms, b_ms) = (100, 200);
    let a = fake_fetch(a_ms).await;         // wait for the first...
    let b = fake_fetch(b_ms).await;         // ...then start and wait for the second
    println!("{}", a + b);                  // elapsed: a + b
}
