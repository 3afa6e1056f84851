//! `wan-proxy`: a user-space TCP proxy that makes loopback look like the internet — a fixed
//! delay in each direction and a bandwidth cap shared by all connections, like one access link
//! (netem is not available on these machines). It also counts connections and bytes.
//!
//! ```text
//! wan-proxy --upstream HOST:PORT [--port N] [--delay-ms 20] [--down-mbit 50] [--up-mbit 50]
//!     Listens on 127.0.0.1:PORT (0: any free port), prints `LISTENING <port>`, relays every
//!     connection to HOST:PORT. Each chunk is delivered `delay-ms` after it has crossed the
//!     link, and the link carries at most `down-mbit` (upstream → client) and `up-mbit`
//!     (client → upstream) megabits per second. Reads commands on stdin, one per line:
//!       stats   → prints {"connections":N,"downBytes":N,"upBytes":N}
//!       reset   → zeroes the counters
//!     and exits when stdin closes.
//! ```
//!
//! Model: a chunk read at time t starts crossing the link at max(t, link free), takes
//! len × 8 / rate, and is written out `delay` later. Up to 1 MiB per direction and connection
//! is queued in the proxy (the link's buffer); beyond that the reader waits, so TCP's own flow
//! control sees the bottleneck.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// One direction of the access link, shared by every connection.
struct Link {
    free_at: Mutex<Instant>,
    bytes_per_sec: f64,
    delay: Duration,
    bytes: AtomicU64,
}

impl Link {
    fn new(mbit: f64, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            free_at: Mutex::new(Instant::now()),
            bytes_per_sec: mbit * 1_000_000.0 / 8.0,
            delay,
            bytes: AtomicU64::new(0),
        })
    }

    /// When a chunk of `len` bytes read now comes out at the far end.
    fn schedule(&self, len: usize) -> Instant {
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
        let now = Instant::now();
        let mut free = match self.free_at.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let start = (*free).max(now);
        let done = start + Duration::from_secs_f64(len as f64 / self.bytes_per_sec);
        *free = done;
        done + self.delay
    }
}

/// Chunk size read at once (also the granularity of the pacing).
const CHUNK: usize = 16 * 1024;
/// Chunks queued per direction and connection (1 MiB).
const QUEUE: usize = 64;

async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, link: Arc<Link>) {
    let (tx, mut rx) = mpsc::channel::<(Instant, Vec<u8>)>(QUEUE);
    let reader = tokio::spawn(async move {
        loop {
            let mut buf = vec![0u8; CHUNK];
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.truncate(n);
                    let at = link.schedule(n);
                    if tx.send((at, buf)).await.is_err() {
                        break;
                    }
                }
            }
        }
    });
    while let Some((at, chunk)) = rx.recv().await {
        tokio::time::sleep_until(at).await;
        if to.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
    reader.abort();
}

struct Args {
    port: u16,
    upstream: SocketAddr,
    delay_ms: f64,
    down_mbit: f64,
    up_mbit: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut port = 0;
    let mut upstream = None;
    let mut delay_ms = 20.0;
    let mut down_mbit = 50.0;
    let mut up_mbit = 50.0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let num = |s: String| {
            s.parse::<f64>()
                .map_err(|_| format!("`{s}` is not a number"))
        };
        match a.as_str() {
            "--port" => port = num(value("--port")?)? as u16,
            "--upstream" => {
                upstream = Some(
                    value("--upstream")?
                        .parse()
                        .map_err(|_| "--upstream must be HOST:PORT".to_string())?,
                )
            }
            "--delay-ms" => delay_ms = num(value("--delay-ms")?)?,
            "--down-mbit" => down_mbit = num(value("--down-mbit")?)?,
            "--up-mbit" => up_mbit = num(value("--up-mbit")?)?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let upstream = upstream.ok_or("--upstream is required")?;
    if !(down_mbit > 0.0 && up_mbit > 0.0 && delay_ms >= 0.0) {
        return Err("rates must be positive and the delay not negative".into());
    }
    Ok(Args {
        port,
        upstream,
        delay_ms,
        down_mbit,
        up_mbit,
    })
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("wan-proxy: {e}");
            eprintln!("usage: wan-proxy --upstream HOST:PORT [--port N] [--delay-ms 20] [--down-mbit 50] [--up-mbit 50]");
            return std::process::ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("wan-proxy: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let delay = Duration::from_secs_f64(args.delay_ms / 1000.0);
    let down = Link::new(args.down_mbit, delay);
    let up = Link::new(args.up_mbit, delay);
    let connections = Arc::new(AtomicU64::new(0));
    let listener = match rt.block_on(TcpListener::bind(("127.0.0.1", args.port))) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("wan-proxy: cannot listen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    println!("LISTENING {port}");
    let _ = std::io::stdout().flush();
    let upstream = args.upstream;
    {
        let (down, up, connections) = (down.clone(), up.clone(), connections.clone());
        rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                connections.fetch_add(1, Ordering::Relaxed);
                let (down, up) = (down.clone(), up.clone());
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    tokio::join!(pump(cr, sw, up), pump(sr, cw, down));
                });
            }
        });
    }
    // Commands on stdin; EOF ends the proxy.
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        match line.trim() {
            "stats" => {
                println!(
                    "{{\"connections\":{},\"downBytes\":{},\"upBytes\":{}}}",
                    connections.load(Ordering::Relaxed),
                    down.bytes.load(Ordering::Relaxed),
                    up.bytes.load(Ordering::Relaxed)
                );
                let _ = std::io::stdout().flush();
            }
            "reset" => {
                connections.store(0, Ordering::Relaxed);
                down.bytes.store(0, Ordering::Relaxed);
                up.bytes.store(0, Ordering::Relaxed);
                println!("OK");
                let _ = std::io::stdout().flush();
            }
            _ => {}
        }
    }
    std::process::ExitCode::SUCCESS
}
