// Rust equivalent (tokio + tokio-util) of examples/token.c: a CancellationToken asks tasks to stop; dropping a
// JoinHandle only detaches its task. Needs tokio = { version = "1", features = ["full"] } and tokio-util = "0.7".
use tokio::time::{sleep, Duration};
use tokio_util::sync::CancellationToken;

async fn worker(tick_ms: u64, token: CancellationToken) -> i64 {
    let mut count = 0;
    loop {
        tokio::select! {
            biased;
            _ = token.cancelled() => break,               // cancelled: stop here, cleanly
            _ = sleep(Duration::from_millis(tick_ms)) => count += 1,
        }
    }
    count
}

async fn logger(tick_ms: u64, n: i64) -> i64 {
    for _ in 0..n {
        sleep(Duration::from_millis(tick_ms)).await;
    }
    n
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (cancel_ms, tick_ms, log_n) = (250, 100, 4);
    let root = CancellationToken::new();
    let ha = tokio::spawn(worker(tick_ms, root.child_token()));
    let hb = tokio::spawn(worker(tick_ms * 2, root.child_token()));
    drop(tokio::spawn(logger(tick_ms, log_n)));           // detaches the logger: it is not cancelled, it runs on
    sleep(Duration::from_millis(cancel_ms)).await;
    root.cancel();                                        // asks both workers to stop, through their child tokens
    let total = ha.await.unwrap() + hb.await.unwrap();
    println!("{total}");
    // Unlike wasync's run, which goes on until no task is left, tokio's runtime drops the detached logger when
    // main returns: sleep past its end here to see it finish.
}
