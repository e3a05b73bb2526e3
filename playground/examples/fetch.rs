// Rust equivalent (tokio + reqwest) of examples/fetch.c: two real HTTP requests, joined.
// To build it, Cargo.toml needs: tokio = { version = "1", features = ["macros", "rt"] } and reqwest = "0.11"
// (its default TLS links OpenSSL: on Debian, libssl-dev and pkg-config; or use
// reqwest = { version = "0.11", default-features = false, features = ["rustls-tls"] }). It needs the playground's
// server running on port 8080 (node web/server.js --port 8080) for the URLs below.
async fn fetch(url: &str) -> reqwest::Result<(u16, usize)> {
    let res = reqwest::get(url).await?;           // a network error is an Err; an HTTP error status is not
    let status = res.status().as_u16();
    Ok((status, res.bytes().await?.len()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> reqwest::Result<()> {
    let (url_a, url_b) = ("http://127.0.0.1:8080/api/delay?ms=150&bytes=2000",
                          "http://127.0.0.1:8080/api/delay?ms=250&bytes=4000");
    // try_join: both requests are in flight at once; the first error fails the whole thing.
    let ((sa, na), (sb, nb)) = tokio::try_join!(fetch(url_a), fetch(url_b))?;
    println!("a: HTTP {sa}, {na} bytes; b: HTTP {sb}, {nb} bytes");
    Ok(())
}
