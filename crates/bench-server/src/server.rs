//! The HTTP/1.1 keep-alive server: one task per connection, requests framed with `httparse`,
//! request bodies skipped by `Content-Length`, pipelined requests answered in order with one
//! write.

use std::io;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::responses::{route, Responses, Route};

/// Largest request head (request line and headers) accepted; bigger is a 400.
const MAX_HEAD: usize = 64 * 1024;
/// Headers parsed per request; more is a 400.
const MAX_HEADERS: usize = 64;

/// Accepts connections forever, serving each on its own task.
pub async fn serve(listener: TcpListener, responses: Arc<Responses>) -> io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        // Nagle would hold back the small responses; the error only means the socket is gone.
        let _ = stream.set_nodelay(true);
        let responses = Arc::clone(&responses);
        tokio::spawn(async move {
            // A reset or half-closed connection ends only that connection.
            let _ = serve_conn(stream, &responses).await;
        });
    }
}

/// What the head of one request asks for.
struct Head {
    route: Route,
    content_length: usize,
    close: bool,
}

/// Reads the parts of a parsed request that matter here.
fn inspect(req: &httparse::Request<'_, '_>) -> Head {
    let mut content_length = 0usize;
    let mut close = req.version == Some(0);
    let mut chunked = false;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("content-length") {
            match std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.trim().parse().ok())
            {
                Some(n) => content_length = n,
                None => {
                    return Head {
                        route: Route::BadRequest,
                        content_length: 0,
                        close: true,
                    }
                }
            }
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        } else if h.name.eq_ignore_ascii_case("connection") {
            let v = h.value;
            if v.eq_ignore_ascii_case(b"close") {
                close = true;
            } else if v.eq_ignore_ascii_case(b"keep-alive") {
                close = false;
            }
        }
    }
    if chunked {
        return Head {
            route: Route::LengthRequired,
            content_length: 0,
            close: true,
        };
    }
    Head {
        route: route(req.method.unwrap_or(""), req.path.unwrap_or("")),
        content_length,
        close,
    }
}

/// Serves one connection until the client closes it (or asks to).
pub async fn serve_conn(mut stream: TcpStream, responses: &Responses) -> io::Result<()> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut filled = 0usize;
    // The request whose head is parsed and whose body is still being skipped.
    let mut pending: Option<Head> = None;
    let mut skip = 0usize;
    let mut answers: Vec<Route> = Vec::new();
    loop {
        if filled == buf.len() {
            if buf.len() >= MAX_HEAD {
                stream.write_all(responses.get(Route::BadRequest)).await?;
                return stream.shutdown().await;
            }
            buf.resize(buf.len() * 2, 0);
        }
        let n = stream.read(&mut buf[filled..]).await?;
        if n == 0 {
            return Ok(());
        }
        filled += n;

        let mut pos = 0usize;
        let mut close = false;
        answers.clear();
        loop {
            if let Some(head) = pending.take() {
                let take = skip.min(filled - pos);
                pos += take;
                skip -= take;
                if skip > 0 {
                    pending = Some(head);
                    break;
                }
                answers.push(head.route);
                if head.close {
                    close = true;
                    break;
                }
                continue;
            }
            if pos == filled {
                break;
            }
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf[pos..filled]) {
                Ok(httparse::Status::Complete(len)) => {
                    let head = inspect(&req);
                    pos += len;
                    skip = head.content_length;
                    pending = Some(head);
                }
                Ok(httparse::Status::Partial) => break,
                Err(_) => {
                    answers.push(Route::BadRequest);
                    close = true;
                    break;
                }
            }
        }
        buf.copy_within(pos..filled, 0);
        filled -= pos;

        match answers.as_slice() {
            [] => {}
            [one] => stream.write_all(responses.get(*one)).await?,
            many => {
                let mut out =
                    Vec::with_capacity(many.iter().map(|r| responses.get(*r).len()).sum());
                for r in many {
                    out.extend_from_slice(responses.get(*r));
                }
                stream.write_all(&out).await?;
            }
        }
        if close {
            return stream.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn start() -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve(listener, Arc::new(Responses::new(10))));
        addr
    }

    /// Reads until `count` complete responses have arrived; returns their status codes.
    async fn read_responses(stream: &mut TcpStream, count: usize) -> Vec<u16> {
        let mut buf = Vec::new();
        let mut statuses = Vec::new();
        let mut chunk = [0u8; 8192];
        let mut pos = 0;
        while statuses.len() < count {
            let mut headers = [httparse::EMPTY_HEADER; 16];
            let mut res = httparse::Response::new(&mut headers);
            if let Ok(httparse::Status::Complete(len)) = res.parse(&buf[pos..]) {
                let cl: usize = res
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .map(|h| std::str::from_utf8(h.value).unwrap().parse().unwrap())
                    .unwrap();
                if buf.len() - pos >= len + cl {
                    statuses.push(res.code.unwrap());
                    pos += len + cl;
                    continue;
                }
            }
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "server closed early");
            buf.extend_from_slice(&chunk[..n]);
        }
        statuses
    }

    #[tokio::test]
    async fn keep_alive_pipelining_and_bodies() {
        let addr = start().await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        let body = "x".repeat(3000);
        let post = format!(
            "POST /api/v1/posts HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        // A POST whose body arrives in two writes, then two pipelined GETs.
        s.write_all(&post.as_bytes()[..100]).await.unwrap();
        s.write_all(&post.as_bytes()[100..]).await.unwrap();
        s.write_all(
            b"GET /api/v1/accounts HTTP/1.1\r\nhost: x\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nhost: x\r\n\r\n",
        )
        .await
        .unwrap();
        assert_eq!(read_responses(&mut s, 3).await, vec![201, 200, 404]);
        // The connection is still usable.
        s.write_all(b"GET /api/v1/profiles HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_responses(&mut s, 1).await, vec![200]);
    }

    #[tokio::test]
    async fn connection_close_and_chunked() {
        let addr = start().await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /api/v1/accounts HTTP/1.1\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_responses(&mut s, 1).await, vec![200]);
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty());

        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /api/v1/posts HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_responses(&mut s, 1).await, vec![411]);
    }
}
