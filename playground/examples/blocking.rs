// Rust equivalent (tokio) of examples/blocking.c, with ticker.h: a ticker task and a CPU-bound worker task.
use std::time::Duration;
use tokio::time::{interval, Instant, MissedTickBehavior};

// ticker.h: wants to run every `tick_ms` and measures how late each tick was.
async fn ticker(ticks: u32, tick_ms: u64) -> u64 {
    let mut every = interval(Duration::from_millis(tick_ms));
    every.set_missed_tick_behavior(MissedTickBehavior::Delay); // as ws_interval: late ticks are delayed, not burst
    let mut worst = Duration::ZERO;
    for _ in 0..ticks {
        let due = every.tick().await;             // Pending until the next tick
        worst = worst.max(Instant::now() - due);  // both on tokio's clock
    }
    worst.as_millis() as u64                      // the worst lateness, in ms
}

fn busy(d: Duration) {                            // ws_clock_busy: pure CPU time
    let end = std::time::Instant::now() + d;   // real CPU time (tokio's paused clock does not see it)
    while std::time::Instant::now() < end {}
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
    // tokio's usual fix for CPU-bound work is tokio::task::spawn_blocking: run it on the blocking thread pool
    // and await its JoinHandle. On one thread (wasm) there is no pool: the work has to yield (yield_now, see
    // cooperative), or wasync's budget knob makes every leaf await count and forces it to; tokio's own budget
    // only counts tokio resources, so it would not stop this loop.
}
