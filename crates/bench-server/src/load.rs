//! A closed-loop HTTP/1.1 keep-alive load generator: `concurrency` connections, each sending
//! one fixed `GET` and reading the whole response before the next. It shows what the server
//! and the loopback wire allow, the ceiling any client can be compared against.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What a load run did.
#[derive(Debug, Clone, Copy)]
pub struct LoadReport {
    /// Complete responses received.
    pub requests: u64,
    /// Wall time of the run.
    pub seconds: f64,
}

impl LoadReport {
    /// Responses per second.
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Runs `concurrency` connections against `addr` for `duration`, each sending `GET target`.
pub async fn run(
    addr: SocketAddr,
    target: &str,
    concurrency: usize,
    duration: Duration,
) -> io::Result<LoadReport> {
    let request: std::sync::Arc<[u8]> =
        format!("GET {target} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer sk_bench\r\n\r\n")
            .into_bytes()
            .into();
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let request = std::sync::Arc::clone(&request);
        tasks.push(tokio::spawn(async move {
            connection(addr, &request, deadline).await
        }));
    }
    let mut requests = 0;
    for t in tasks {
        requests += t.await.map_err(io::Error::other)??;
    }
    Ok(LoadReport {
        requests,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// One connection's loop; returns how many responses it received.
async fn connection(addr: SocketAddr, request: &[u8], deadline: Instant) -> io::Result<u64> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut done = 0u64;
    while Instant::now() < deadline {
        stream.write_all(request).await?;
        read_response(&mut stream, &mut buf).await?;
        done += 1;
    }
    Ok(done)
}

/// Reads one complete response (head and `Content-Length` body).
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut filled = 0usize;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let n = stream.read(&mut buf[filled..]).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut res = httparse::Response::new(&mut headers);
        match res.parse(&buf[..filled]) {
            Ok(httparse::Status::Complete(head)) => {
                let len = res
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| {
                        std::str::from_utf8(h.value)
                            .ok()?
                            .trim()
                            .parse::<usize>()
                            .ok()
                    })
                    .ok_or_else(|| io::Error::other("response without content-length"))?;
                let mut have = filled - head;
                while have < len {
                    let n = stream.read(&mut buf[..]).await?;
                    if n == 0 {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                    have += n;
                }
                return Ok(());
            }
            Ok(httparse::Status::Partial) => continue,
            Err(e) => return Err(io::Error::other(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::Responses;
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn load_against_the_server() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(crate::server::serve(
            listener,
            Arc::new(Responses::new(500)),
        ));
        let small = run(addr, "/api/v1/accounts", 4, Duration::from_millis(200))
            .await
            .unwrap();
        assert!(small.requests > 10, "{small:?}");
        let big = run(
            addr,
            "/api/v1/accounts?size=500",
            2,
            Duration::from_millis(100),
        )
        .await
        .unwrap();
        assert!(big.requests > 0 && big.rps() > 0.0, "{big:?}");
    }
}
