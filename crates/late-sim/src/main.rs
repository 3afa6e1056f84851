//! `late-sim`: run the Late API simulator from the command line.
//!
//! ```text
//! late-sim [--port 4010] [--api-key K] [--webhook-secret S] [--rate-limit N[/WINDOW]] [--webhook-url URL]
//! ```

use std::process::ExitCode;

use late_sim::SimConfig;

const USAGE: &str = "Usage: late-sim [--port N] [--api-key KEY] [--webhook-secret SECRET] [--rate-limit N[/WINDOW]] [--webhook-url URL]

Runs an in-memory Late / Zernio API simulator on 127.0.0.1 until Ctrl-C.
  --port N              TCP port (default 4010; 0 picks a free port)
  --api-key KEY         accepted API key (default sk_test_late_sim_0001)
  --webhook-secret S    default webhook signing secret (default whsec_test_late_sim)
  --rate-limit N[/W]    the team limit: N requests per sliding window W, for all clients
                        together (default 600/1m; W in ms, s or m, e.g. 120/2s; 0 disables)
  --webhook-url URL     register a webhook for account.* and post.* events at start";

fn parse(args: &[String]) -> Result<Option<SimConfig>, String> {
    let mut c = SimConfig {
        port: 4010,
        ..SimConfig::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => {
                c.port = value()?
                    .parse()
                    .map_err(|_| "--port must be 0-65535".to_string())?
            }
            "--api-key" => c.api_key = value()?,
            "--webhook-secret" => c.webhook_secret = value()?,
            "--rate-limit" => {
                (c.rate_limit_per_minute, c.rate_limit_window) =
                    late_sim::parse_rate_limit(&value()?)?
            }
            "--webhook-url" => c.webhook_url = Some(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Some(c))
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(Some(c)) => c,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("late-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match late_sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("late-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("Late API simulator listening");
    println!("  LATE_BASE_URL={}", sim.base_url());
    println!("  LATE_API_KEY={}", sim.api_key());
    println!("  webhook secret: {}", sim.webhook_secret());
    println!("  admin: {}/__sim/state", sim.origin());
    println!("Press Ctrl-C to stop.");
    wait_for_stop_signal().await;
    sim.close().await;
    println!("late-sim stopped");
    ExitCode::SUCCESS
}
