//! `llmrelay-mock`: a fake OpenAI (or, with `--wire cohere`, Cohere) upstream serving
//! the same answer forever, for load benchmarks and the Python tests.
//!
//! ```text
//! llmrelay-mock --port P [--latency-ms N] [--stream-delay-ms N] [--content TEXT] [--wire W]
//! ```
//!
//! Prints its API base (`http://127.0.0.1:P/v1`) on stdout once it accepts connections.
//! Requests are counted, not recorded or logged.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use llmrelay_testkit::{FakeCohere, FakeOpenAi, Reply, DEFAULT_CONTENT};

const USAGE: &str =
    "usage: llmrelay-mock --port P [--latency-ms N] [--stream-delay-ms N] [--content TEXT] [--wire W]

Serves a fake OpenAI API on 127.0.0.1:P (0 picks a free port) until killed:
POST /v1/chat/completions (JSON or SSE), POST /v1/embeddings, GET /v1/models,
POST /v1/moderations, POST /v1/images/generations, POST /v1/audio/speech,
POST /v1/audio/transcriptions (multipart). With --wire cohere, Cohere's v2:
POST /v2/chat, POST /v2/embed, POST /v2/rerank.

  --port P             port on 127.0.0.1 to listen on (required)
  --latency-ms N       wait N ms before each response's headers (default 0)
  --stream-delay-ms N  wait N ms between stream events (default 0)
  --content TEXT       the assistant's answer (default: a short greeting)
  --wire W             openai (default) or cohere";

/// The command line.
#[derive(Debug, PartialEq)]
struct Options {
    port: u16,
    latency: Duration,
    stream_delay: Duration,
    content: String,
    cohere: bool,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut port = None;
    let mut latency = Duration::ZERO;
    let mut stream_delay = Duration::ZERO;
    let mut content = DEFAULT_CONTENT.to_owned();
    let mut cohere = false;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (flag, None),
        };
        if name == "-h" || name == "--help" {
            return Err(String::new());
        }
        let value = inline
            .or_else(|| args.next())
            .ok_or_else(|| format!("{name} needs a value"))?;
        let millis = |v: &str| {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|_| format!("{name}: `{v}` is not a number of milliseconds"))
        };
        match name.as_str() {
            "--port" => {
                port = Some(
                    value
                        .parse::<u16>()
                        .map_err(|_| format!("--port: `{value}` is not a port"))?,
                );
            }
            "--latency-ms" => latency = millis(&value)?,
            "--stream-delay-ms" => stream_delay = millis(&value)?,
            "--content" => content = value,
            "--wire" => {
                cohere = match value.as_str() {
                    "openai" => false,
                    "cohere" => true,
                    other => return Err(format!("--wire: `{other}` is not openai or cohere")),
                }
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Options {
        port: port.ok_or("--port is required")?,
        latency,
        stream_delay,
        content,
        cohere,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("llmrelay-mock: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let reply = Reply::content(options.content)
        .with_latency(options.latency)
        .with_stream_delay(options.stream_delay);
    let port = options.port;
    if options.cohere {
        let server = FakeCohere::builder()
            .port(port)
            .default_reply(reply)
            .record_requests(false)
            .start()
            .await;
        return serve(server.map(|s| (s.base_url(), s)), port).await;
    }
    let server = FakeOpenAi::builder()
        .port(port)
        .default_reply(reply)
        .record_requests(false)
        .start()
        .await;
    serve(server.map(|s| (s.base_url(), s)), port).await
}

/// Prints the base URL of a started server and serves until the process is
/// killed (the handle must stay alive for that).
async fn serve<S>(started: Result<(String, S), impl std::fmt::Display>, port: u16) -> ExitCode {
    let (url, server) = match started {
        Ok(started) => started,
        Err(error) => {
            eprintln!("llmrelay-mock: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{url}");
    let _ = stdout.flush();
    std::future::pending::<()>().await;
    drop(server);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn parses_every_option() {
        let options = parse(args(
            "--port 8080 --latency-ms 5 --stream-delay-ms=2 --content hi --wire cohere",
        ))
        .unwrap();
        assert_eq!(
            options,
            Options {
                port: 8080,
                latency: Duration::from_millis(5),
                stream_delay: Duration::from_millis(2),
                content: "hi".to_owned(),
                cohere: true,
            }
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            parse(args("--latency-ms 5")).unwrap_err(),
            "--port is required"
        );
        assert!(parse(args("--port x")).unwrap_err().contains("not a port"));
        assert!(parse(args("--port 1 --bogus 2"))
            .unwrap_err()
            .contains("unknown option"));
        assert!(parse(args("--port")).unwrap_err().contains("needs a value"));
        assert_eq!(parse(args("--help")).unwrap_err(), "");
    }
}
