//! A small load generator for `annalist serve` (issue 9): N clients, each on
//! one keep-alive HTTP/1.1 connection, send GET requests in a loop for a
//! fixed time and the latencies are reported as percentiles.
//!
//! Usage: `load ADDR [CLIENTS] [SECONDS] [PATH...]`, e.g.
//! `load 127.0.0.1:8080 50 30 '/api/events?text=iran' '/api/events?text=oil'`.
//! Only loopback addresses are accepted: this is a test of our own server.
//! Exits 1 when any request failed or answered other than 200.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

/// Sends one request and reads the whole response; returns the status.
async fn request(conn: &mut BufReader<TcpStream>, host: &str, path: &str) -> std::io::Result<u16> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n");
    conn.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed in headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<usize>().ok();
            }
        }
    }
    let n = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
    let mut body = vec![0; n];
    conn.read_exact(&mut body).await?;
    Ok(status)
}

async fn client(addr: SocketAddr, paths: Vec<String>, offset: usize, until: Instant) -> Tally {
    let mut t = Tally::default();
    let host = addr.to_string();
    let mut conn = None;
    let mut i = offset;
    while Instant::now() < until {
        if conn.is_none() {
            match TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(BufReader::new(s));
                }
                Err(e) => {
                    t.errors += 1;
                    t.first_error.get_or_insert(format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
        }
        let path = &paths[i % paths.len()];
        i += 1;
        let start = Instant::now();
        let Some(c) = conn.as_mut() else { continue };
        match request(c, &host, path).await {
            Ok(200) => t.latencies_us.push(start.elapsed().as_micros() as u64),
            Ok(code) => {
                t.errors += 1;
                t.first_error
                    .get_or_insert(format!("{path}: status {code}"));
            }
            Err(e) => {
                t.errors += 1;
                t.first_error.get_or_insert(format!("{path}: {e}"));
                conn = None;
            }
        }
    }
    t
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(addr) = args.first().and_then(|a| a.parse::<SocketAddr>().ok()) else {
        eprintln!("usage: load ADDR [CLIENTS] [SECONDS] [PATH...]; hint: ADDR is 127.0.0.1:PORT");
        return std::process::ExitCode::from(2);
    };
    if !addr.ip().is_loopback() {
        eprintln!("error: {addr} is not a loopback address; hint: load-test only a local server");
        return std::process::ExitCode::from(2);
    }
    let clients: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(30);
    let mut paths: Vec<String> = args.iter().skip(3).cloned().collect();
    if paths.is_empty() {
        paths.push("/api/events?text=iran&limit=20".into());
    }
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|k| tokio::spawn(client(addr, paths.clone(), k, until)))
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        match t.await {
            Ok(t) => {
                all.latencies_us.extend(t.latencies_us);
                all.errors += t.errors;
                if all.first_error.is_none() {
                    all.first_error = t.first_error;
                }
            }
            Err(e) => {
                all.errors += 1;
                all.first_error.get_or_insert(format!("client task: {e}"));
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let n = all.latencies_us.len();
    println!(
        "clients={clients} seconds={elapsed:.1} requests={n} errors={} rps={:.0} p50_ms={:.1} p90_ms={:.1} p99_ms={:.1} max_ms={:.1}",
        all.errors,
        n as f64 / elapsed,
        percentile(&all.latencies_us, 0.50),
        percentile(&all.latencies_us, 0.90),
        percentile(&all.latencies_us, 0.99),
        percentile(&all.latencies_us, 1.0),
    );
    if let Some(e) = &all.first_error {
        eprintln!("first error: {e}");
    }
    if all.errors > 0 || n == 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
