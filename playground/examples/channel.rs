// Rust equivalent (tokio) of examples/channel.c: a producer task and a slow consumer over a bounded channel.
use tokio::sync::mpsc;
use tokio::time::{sleep, Duration};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (count, capacity, work_ms) = (6, 2, 20);
    let (tx, mut rx) = mpsc::channel::<i64>(capacity);
    let hp = tokio::spawn(async move {            // task "producer"
        for i in 1..=count {
            tx.send(i).await.unwrap();            // Pending while the channel is full
        }
        count                                     // dropping tx closes the sending side
    });
    let mut sum = 0;
    while let Some(v) = rx.recv().await {         // Pending while empty; None once closed and drained
        sum += v;
        sleep(Duration::from_millis(work_ms)).await; // a slow consumer
    }
    hp.await.unwrap();
    println!("{sum}");
}
