// Rust equivalent (tokio) of examples/spawn.c, with fake_fetch.h as an async fn.
use tokio::time::{sleep, Duration};

async fn fake_fetch(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await; // Pending until the timer fires
    ms * 10
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (a_ms, b_ms) = (100, 200);
    let ha = tokio::spawn(fake_fetch(a_ms)); // task "fetch a": runs on its own
    let hb = tokio::spawn(fake_fetch(b_ms)); // task "fetch b"
    let a = ha.await.unwrap();               // both tasks are already running
    let b = hb.await.unwrap();
    println!("{}", a + b);                   // three tasks; elapsed: max(a, b)
}
