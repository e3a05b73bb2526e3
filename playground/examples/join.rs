// Rust equivalent (tokio) of examples/join.c, with fake_fetch.h as an async fn.
use tokio::time::{sleep, Duration};

async fn fake_fetch(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await; // Pending until the timer fires
    ms * 10
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (a_ms, b_ms) = (100, 200);
    let a = fake_fetch(a_ms);               // two futures: nothing runs yet
    let b = fake_fetch(b_ms);
    let (a, b) = tokio::join!(a, b);        // polls a and b in this task; ready when both are
    println!("{}", a + b);                  // elapsed: max(a, b)
}
