//! A pure-Rust iroh peer, built from the same crate graph as `libalknet_iroh`:
//!
//! * `alknet-iroh-bench local BYTES` — the baseline of `bench/iroh.sh`: two endpoints in this process (each
//!   with its own runtime of `ALKNET_IROH_THREADS` threads, as the JVM side has), relays off, loopback; one stream carries BYTES
//!   one way. Prints `rust-local bytes=… seconds=… mb_per_s=…`.
//! * `alknet-iroh-bench source` — a peer that tests can kill: listens on 127.0.0.1 (ALPN `alknet-ssh`),
//!   prints `ID|IP:PORT`, and sends endless bytes on every alknet stream it accepts.

use std::time::Instant;

use iroh::endpoint::{presets, Connection};
use iroh::{Endpoint, EndpointAddr, RelayMode};

const ALPN: &[u8] = b"alknet-ssh";
const STREAM_DUPLEX: u8 = 1;
const CHUNK: usize = 64 * 1024;

/// Worker threads per endpoint runtime: `ALKNET_IROH_THREADS` (bench/iroh.sh sets it to the library default for the machine).
fn runtime() -> tokio::runtime::Runtime {
    let threads = std::env::var("ALKNET_IROH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime")
}

async fn endpoint() -> Endpoint {
    Endpoint::builder(presets::Minimal)
        .relay_mode(RelayMode::Disabled)
        .alpns(vec![ALPN.to_vec()])
        .clear_ip_transports()
        .bind_addr("127.0.0.1:0")
        .expect("bind address")
        .bind()
        .await
        .expect("bind")
}

fn addr_of(endpoint: &Endpoint) -> EndpointAddr {
    let mut addr = EndpointAddr::new(endpoint.id());
    for socket in endpoint.bound_sockets() {
        addr = addr.with_ip_addr(socket);
    }
    addr
}

fn local(total: u64) {
    let server_rt = runtime();
    let client_rt = runtime();
    let server = server_rt.block_on(endpoint());
    let client = client_rt.block_on(endpoint());
    let target = addr_of(&server);

    let receiver = server_rt.spawn(async move {
        let conn = server.accept().await.expect("incoming").await.expect("handshake");
        let (_send, mut recv) = conn.accept_bi().await.expect("stream");
        let mut received = 0u64;
        while let Some(chunk) = recv.read_chunk(CHUNK).await.expect("read") {
            received += chunk.len() as u64;
        }
        (received, conn, server)
    });

    let started = Instant::now();
    // The sender is a task on the client's runtime, as the library's writer is (block_on would run it on this thread).
    let sender = client_rt.spawn(async move {
        let conn = client.connect(target, ALPN).await.expect("connect");
        let (mut send, _recv) = conn.open_bi().await.expect("open");
        send.write_all(&[STREAM_DUPLEX]).await.expect("preamble");
        let block = bytes::Bytes::from(vec![0x5au8; CHUNK]);
        let mut sent = 0u64;
        while sent < total {
            let n = CHUNK.min((total - sent) as usize);
            send.write_chunk(block.slice(0..n)).await.expect("write");
            sent += n as u64;
        }
        send.finish().expect("finish");
        (conn, client)
    });
    let (conn, client): (Connection, Endpoint) = client_rt.block_on(sender).expect("sender");
    let (received, server_conn, server) = server_rt.block_on(receiver).expect("receiver");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(received, total + 1, "bytes received");
    println!(
        "rust-local bytes={total} seconds={seconds:.3} mb_per_s={:.1}",
        total as f64 / seconds / 1_000_000.0
    );
    conn.close(0u32.into(), b"done");
    server_conn.close(0u32.into(), b"done");
    client_rt.block_on(client.close());
    server_rt.block_on(server.close());
}

fn source() {
    let rt = runtime();
    rt.block_on(async {
        let server = endpoint().await;
        let addrs: Vec<String> = server.bound_sockets().iter().map(|a| a.to_string()).collect();
        println!("{}|{}", server.id(), addrs.join(","));
        while let Some(incoming) = server.accept().await {
            tokio::spawn(async move {
                let Ok(conn) = incoming.await else { return };
                while let Ok((mut send, mut recv)) = conn.accept_bi().await {
                    tokio::spawn(async move {
                        let mut kind = [0u8; 1];
                        if recv.read_exact(&mut kind).await.is_err() {
                            return;
                        }
                        let block = bytes::Bytes::from(vec![0x5au8; CHUNK]);
                        while send.write_chunk(block.clone()).await.is_ok() {}
                    });
                }
            });
        }
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("local") => {
            let total = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1u64 << 30);
            local(total);
        }
        Some("source") => source(),
        _ => {
            eprintln!("usage: alknet-iroh-bench local [BYTES] | source");
            std::process::exit(2);
        }
    }
}
