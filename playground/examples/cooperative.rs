// Rust equivalent (tokio) of examples/cooperative.c, with ticker.h: the blocking worker, yielding after each item.
use std::time::Duration;
use tokio::time::{interval, Instant, MissedTickBehavior};

async fn ticker(ticks: u32, tick_ms: u64) -> u64 {
    let mut every = interval(Duration::from_millis(tick_ms));
    every.set_missed_tick_behavior(MissedTickBehavior::Delay); // as ws_interval: late ticks are delayed, not burst
    let mut worst = Duration::ZERO;
    for _ in 0..ticks {
        let due = every.tick().await;             // Pending until the next tick
        worst = worst.max(Instant::now() - due);  // both on tokio's clock
    }
    worst.as_millis() as u64
}

fn busy(d: Duration) {
    let end = std::time::Instant::now() + d;   // real CPU time (tokio's paused clock does not see it)
    while std::time::Instant::now() < end {}
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
