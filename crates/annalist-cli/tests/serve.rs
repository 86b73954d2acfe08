//! `annalist serve`'s flags reach the server: `--allowed-host` names a host
//! that requests from this machine may use, and the connection limits of
//! issue 20's finding 6 are documented and checked.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `annalist serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts the server on a free port with `args`. A write token lets it start
/// without a database; these tests ask only for the OpenAPI document.
fn serve(args: &[&str]) -> Server {
    let dir = std::env::temp_dir().join(format!("annalist-cli-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("none.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args(["--write-token-env", "ANNALIST_TEST_TOKEN"])
        .args(args)
        .env("ANNALIST_TEST_TOKEN", "test-token-0123456789")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the annalist binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("annalist serve: listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr, dir }
}

/// The status line of the answer to a GET naming `host`.
fn status_for_host(server: &Server, host: &str) -> String {
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /api/openapi.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or("").to_string()
}

#[test]
fn serve_allowed_host_lets_a_named_host_through() {
    let server = serve(&[
        "--allowed-host",
        "annalist.lan",
        "--allowed-host",
        "Research.Example",
    ]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("annalist.lan:{port}"),
        "research.example".to_string(),
        format!("localhost:{port}"),
    ] {
        let status = status_for_host(&server, &host);
        assert!(status.starts_with("HTTP/1.1 200"), "{host}: {status}");
    }
    let status = status_for_host(&server, &format!("attacker.example:{port}"));
    assert!(status.starts_with("HTTP/1.1 403"), "{status}");
}

#[test]
fn serve_refuses_an_allowed_host_that_is_not_a_bare_name() {
    for bad in ["annalist.lan:8080", "http://annalist.lan", ""] {
        let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
            .args(["serve", "--allowed-host", bad])
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {log}");
        assert!(
            log.contains("--allowed-host") && log.contains("hint"),
            "{bad}: {log}"
        );
    }
}

#[test]
fn serve_help_documents_the_host_and_connection_limits() {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--allowed-host <NAME>",
        "--header-timeout <SECONDS>",
        "--idle-timeout <SECONDS>",
        "--max-connections <N>",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    for bad in [["--header-timeout", "0"], ["--max-connections", "0"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
            .args(["serve"])
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
