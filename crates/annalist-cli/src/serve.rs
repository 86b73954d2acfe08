//! `annalist serve`: the HTTP API and web UI over an event store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist serve --db events.db\n  annalist serve --db events.db --addr 127.0.0.1:9000\n  \
ANNALIST_WRITE_TOKEN=secret annalist serve --db events.db --write-token-env ANNALIST_WRITE_TOKEN\n\n\
The API is described at /api/openapi.json; the web UI is at /. Read-only unless a write token is given.\n\n\
A request from this machine must name it in its Host header (localhost, a *.localhost name or an IP \
address) unless the name is given with --allowed-host, so that a web page re-pointed at 127.0.0.1 \
(DNS rebinding) cannot read the API. A client that takes longer than --header-timeout to send a \
request's head, or leaves its connection idle for --idle-timeout, is disconnected; connections past \
--max-connections are answered 503."
)]
pub struct Args {
    /// The database file (default as for `annalist ingest`).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// The address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Accept documents to store (POST /api/documents) from clients sending
    /// `Authorization: Bearer TOKEN`. Prefer --write-token-env: a token on the
    /// command line is visible to other users of the machine.
    #[arg(long, value_name = "TOKEN")]
    pub write_token: Option<String>,
    /// Read the write token from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "write_token")]
    pub write_token_env: Option<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Requests per second per client address, with bursts of twice that (0: no limit).
    #[arg(long, default_value_t = 100)]
    pub rate_limit: u32,
    /// Documents coded at the same time (default: the number of cores).
    #[arg(long)]
    pub code_workers: Option<usize>,
    /// Seconds an answer of the store endpoints is reused (0: never).
    #[arg(long, default_value_t = 5)]
    pub cache_seconds: u64,
    /// Another name this server may be reached by from this machine, without port or scheme
    /// (repeatable), e.g. a name for it in /etc/hosts or behind a local proxy.
    #[arg(long = "allowed-host", value_name = "NAME", value_parser = host_name)]
    pub allowed_hosts: Vec<String>,
    /// Seconds a client may take to send a request's head (request line and headers), from
    /// when it connects or, on a kept-alive connection, from the request's first byte.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a connection may stay open with no request in progress and nothing sent either way,
    /// and a request body may stop arriving before the request is answered 408.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Connections open at once; more are answered 503 (default: 1024, or half the open-file
    /// limit where that is lower).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,
}

/// Checks an `--allowed-host` value: a bare host name, since the `Host`
/// check compares names without their port.
fn host_name(s: &str) -> Result<String, String> {
    let name = s.trim().to_ascii_lowercase();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(format!(
            "`{s}` is not a host name; hint: give the bare name, without scheme or port, \
             e.g. --allowed-host annalist.lan"
        ))
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let db = crate::ingest::db_path(args.db.as_deref())?;
    let write_token = match &args.write_token_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            anyhow::anyhow!("--write-token-env: the environment variable {var} is not set; hint: export it first")
        })?),
        None => args.write_token.clone(),
    };
    if write_token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        anyhow::bail!("the write token is empty; hint: give a long random token");
    }
    if write_token.is_none() && !db.exists() {
        anyhow::bail!(
            "{}: no such database; hint: run `annalist ingest --db {}` first, or give --db FILE",
            db.display(),
            db.display()
        );
    }
    let mut config = annalist_server::Config {
        db: Some(db),
        write_token,
        max_body: args.max_body,
        rate_limit: args.rate_limit,
        cache_ttl: std::time::Duration::from_secs(args.cache_seconds),
        allowed_hosts: args.allowed_hosts,
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        idle_timeout: std::time::Duration::from_secs(args.idle_timeout),
        ..Default::default()
    };
    if let Some(n) = args.code_workers {
        config.code_workers = n.max(1);
    }
    if let Some(n) = args.max_connections {
        config.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
    }
    annalist_server::run(config, args.addr, |addr| {
        // Scripts wait for this line and read the port from it.
        println!("annalist serve: listening on http://{addr}/");
    })
    .map_err(|e| {
        anyhow::anyhow!(
            "cannot serve on {}: {e}; hint: is the port in use?",
            args.addr
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
