//! `bench-server`: a tiny fixed-response HTTP/1.1 keep-alive server on loopback for
//! late-native's benchmarks (`npm run bench`), plus a native load generator that measures the
//! ceiling the server and the wire allow.
//!
//! ```text
//! bench-server [PORT] [--port N] [--threads N] [--big N] [--exit-with-stdin]
//!     Serves on 127.0.0.1:PORT (0 or absent: any free port; env BENCH_PORT also works) and
//!     prints `LISTENING <port>` on stdout once ready. Routes (any prefix before /v1/):
//!       GET  /api/v1/accounts               3 accounts   {accounts, hasAnalyticsAccess}
//!       GET  /api/v1/accounts?size=10000    N accounts (--big, default 10000)
//!       GET  /big/api/v1/accounts           N accounts (for clients that cannot add a query)
//!       GET  /api/v1/profiles               one default profile
//!       POST /api/v1/posts                  201 {message, post}
//!     --threads: worker threads (env BENCH_SERVER_THREADS; default: all cores).
//!     --exit-with-stdin: exit when stdin closes (so the server dies with the process that
//!       started it).
//!
//! bench-server load --port N [--path P] [--concurrency C] [--duration-ms MS] [--threads T]
//!     Closed-loop keep-alive GETs against 127.0.0.1:N; prints one JSON line
//!     `{"requests":…,"seconds":…,"rps":…}`.
//! ```
//!
//! Every response is serialised once at start-up; answering is a parse of the request head
//! and one write, so the server costs far less per request than any JS client.

mod load;
mod responses;
mod server;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Command-line options of both modes.
struct Args {
    load: bool,
    port: u16,
    threads: Option<usize>,
    big: usize,
    exit_with_stdin: bool,
    path: String,
    concurrency: usize,
    duration_ms: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        load: false,
        port: std::env::var("BENCH_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0),
        threads: std::env::var("BENCH_SERVER_THREADS")
            .ok()
            .and_then(|t| t.parse().ok()),
        big: responses::DEFAULT_BIG_ACCOUNTS,
        exit_with_stdin: false,
        path: "/api/v1/accounts".to_string(),
        concurrency: 50,
        duration_ms: 2000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "load" => args.load = true,
            "--port" => args.port = number(&value("--port")?)?,
            "--threads" => args.threads = Some(number(&value("--threads")?)?),
            "--big" => args.big = number(&value("--big")?)?,
            "--path" => args.path = value("--path")?,
            "--concurrency" | "-c" => args.concurrency = number(&value("--concurrency")?)?,
            "--duration-ms" => args.duration_ms = number(&value("--duration-ms")?)?,
            "--exit-with-stdin" => args.exit_with_stdin = true,
            "--help" | "-h" => return Err(String::new()),
            other if !other.starts_with('-') => args.port = number(other)?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not a valid number"))
}

fn runtime(threads: Option<usize>) -> std::io::Result<tokio::runtime::Runtime> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = threads {
        b.worker_threads(n.max(1));
    }
    b.enable_all().build()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("bench-server: {msg}");
            }
            eprintln!("usage: bench-server [PORT] [--threads N] [--big N] [--exit-with-stdin]");
            eprintln!("       bench-server load --port N [--path P] [--concurrency C] [--duration-ms MS] [--threads T]");
            return ExitCode::from(2);
        }
    };
    let result = if args.load {
        load_main(&args)
    } else {
        serve_main(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve_main(args: &Args) -> std::io::Result<()> {
    let responses = Arc::new(responses::Responses::new(args.big));
    if args.exit_with_stdin {
        std::thread::spawn(|| {
            let mut sink = Vec::new();
            // Blocks until the parent closes our stdin (or dies).
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
            std::process::exit(0);
        });
    }
    let rt = runtime(args.threads)?;
    rt.block_on(async {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
                .await?;
        let port = listener.local_addr()?.port();
        let mut out = std::io::stdout().lock();
        writeln!(out, "LISTENING {port}")?;
        out.flush()?;
        drop(out);
        server::serve(listener, responses).await
    })
}

fn load_main(args: &Args) -> std::io::Result<()> {
    if args.port == 0 {
        return Err(std::io::Error::other("load needs --port"));
    }
    let rt = runtime(args.threads)?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let report = rt.block_on(load::run(
        addr,
        &args.path,
        args.concurrency.max(1),
        Duration::from_millis(args.duration_ms),
    ))?;
    println!(
        "{{\"requests\":{},\"seconds\":{:.4},\"rps\":{:.1}}}",
        report.requests,
        report.seconds,
        report.rps()
    );
    Ok(())
}
