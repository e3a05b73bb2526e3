// Rust equivalent (tokio) of examples/cooperative.c, with ticker.h: the blocking worker, yielding after each item.
use std::time::{Duration, Instant};
use tokio::time::interval;

async fn ticker(ticks: u32, tick_ms: u64) -> u64 {
    let mut every = interval(Duration::from_millis(tick_ms));
    let mut worst = Duration::ZERO;
    for _ in 0..ticks {
        let due = every.tick().await;             // Pending until the next tick
        worst = worst.max(Instant::now() - due.into_std());
    }
    worst.as_millis() as u64
}

fn busy(d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end {}
}

async fn polite_cruncher(items: u64, unit_ms: u64) -> u64 {
    for _ in 0..items {
        busy(Duration::from_millis(unit_ms));     // the same CPU-bound work...
        tokio::task::yield_now().await;           // ...then let the others run
    }
    items
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ht = tokio::spawn(ticker(10, 5));                 // task "ticker"
    let hw = tokio::spawn(polite_cruncher(40, 2));        // task "polite_cruncher": 40 short polls
    hw.await.unwrap();
    println!("{}", ht.await.unwrap());                    // the ticker keeps its rhythm
}
