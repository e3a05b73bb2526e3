// Rust equivalent (tokio) of examples/blocking.c, with ticker.h: a ticker task and a CPU-bound worker task.
use std::time::{Duration, Instant};
use tokio::time::interval;

// ticker.h: wants to run every `tick_ms` and measures how late each tick was.
async fn ticker(ticks: u32, tick_ms: u64) -> u64 {
    let mut every = interval(Duration::from_millis(tick_ms));
    let mut worst = Duration::ZERO;
    for _ in 0..ticks {
        let due = every.tick().await;             // Pending until the next tick
        worst = worst.max(Instant::now() - due.into_std());
    }
    worst.as_millis() as u64                      // the worst lateness, in ms
}

fn busy(d: Duration) {                            // ws_clock_busy: pure CPU time
    let end = Instant::now() + d;
    while Instant::now() < end {}
}

async fn cruncher(items: u64, unit_ms: u64) -> u64 {
    for i in 0..items {
        std::future::ready(i).await;              // take the next item: always ready, so never Pending
        busy(Duration::from_millis(unit_ms));     // CPU-bound work: nothing else runs meanwhile
    }
    items
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ht = tokio::spawn(ticker(10, 5));         // task "ticker"
    let hw = tokio::spawn(cruncher(40, 2));       // task "cruncher": one 80 ms poll
    hw.await.unwrap();
    println!("{}", ht.await.unwrap());            // the ticker ran late
    // wasync's budget knob makes every leaf await count, so a small budget forces the cruncher to yield;
    // tokio's own coop budget only counts tokio resources, so here the fix is yield_now (see cooperative).
}
