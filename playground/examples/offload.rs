// Rust equivalent (tokio) of examples/offload.c, with ticker.h: the blocking worker's CPU work moved to tokio's
// blocking thread pool with spawn_blocking. The async task only awaits the join handle of each item.
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

fn count_primes(n: u64) -> u64 {                  // plain synchronous CPU work, as the C blocking function
    let mut count = if n > 2 { 1 } else { 0 };
    let mut k = 3;
    while k < n {
        let mut d = 3;
        let mut prime = true;
        while d * d <= k {
            if k % d == 0 { prime = false; break; }
            d += 2;
        }
        if prime { count += 1; }
        k += 2;
    }
    count
}

async fn offloader(items: u64, unit_ms: u64) -> u64 {
    let mut primes = 0;
    for _ in 0..items {
        let n = unit_ms.max(1) * 50_000;
        primes += tokio::task::spawn_blocking(move || count_primes(n)).await.unwrap(); // on the blocking pool
    }
    let _ = primes;
    items
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ht = tokio::spawn(ticker(10, 5));                 // task "ticker"
    let hw = tokio::spawn(offloader(40, 2));              // task "offloader": waits, never computes
    hw.await.unwrap();
    println!("{}", ht.await.unwrap());                    // the ticker keeps its rhythm
}
