// Rust equivalent (tokio) of examples/lazy.c. Calling an async fn builds a future; its body runs only when polled.
use std::cell::Cell;

async fn answer(runs: &Cell<i64>) -> i64 {
    runs.set(runs.get() + 1); // the body counts its own runs
    42
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs = Cell::new(0);
    let dropped = answer(&runs);      // a future: nothing ran
    drop(dropped);                    // dropped unpolled: its body never runs
    let awaited = answer(&runs);
    awaited.await;                    // polled: now the body runs, once
    println!("{}", runs.get());       // 1, although two futures were built
}
