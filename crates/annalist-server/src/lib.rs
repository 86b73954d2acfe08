//! The HTTP API and web UI of annalist (`annalist serve`).
//!
//! - A JSON API under `/api/`, described by the OpenAPI document at
//!   `/api/openapi.json`: code a posted text without storing it, list,
//!   search and count stored events with the filters of `annalist query`,
//!   map points, the actor network, and documents with their records.
//! - Read-only by default: storing posted documents is enabled only by a
//!   write token, which clients send as `Authorization: Bearer TOKEN`.
//! - Bodies are capped in size and each client is rate limited; every error
//!   is JSON (`{"error": {"code", "message"}}`, see [`ApiError`]).
//! - Connections are held to a header and an idle time limit, and capped in
//!   number (see [`listen`]), so that slow or idle clients cannot hold the
//!   server's sockets.
//! - The web UI is plain HTML, CSS and JavaScript embedded in the binary,
//!   with a vendored country basemap: nothing is loaded from elsewhere.
//!
//! SQLite work and coding are blocking: they run on tokio's blocking pool,
//! with read connections kept in a small pool and never held across an await.

mod api;
mod assets;
mod browse;
mod cache;
pub mod error;
pub mod limits;
pub mod listen;

use annalist_pipeline::Pipeline;
use annalist_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

pub use api::router;
pub use error::ApiError;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The event store; `None` serves only coding and the UI.
    pub db: Option<PathBuf>,
    /// The bearer token that enables storing documents; `None`: read-only.
    pub write_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// Requests per second per client address (bursts of twice that); 0: no limit.
    pub rate_limit: u32,
    /// Documents coded at the same time; more requests wait their turn.
    pub code_workers: usize,
    /// How long answers of the store endpoints are reused; zero: never.
    pub cache_ttl: std::time::Duration,
    /// Host names (without port) that requests from this machine may use
    /// besides `localhost` and IP addresses; see `docs/server.md`.
    pub allowed_hosts: Vec<String>,
    /// How long a client may take to send a request's head (request line
    /// and headers), counted from when its connection opens or, on a
    /// kept-alive connection, from the request's first byte.
    pub header_timeout: std::time::Duration,
    /// How long a connection may stay open with no request in progress and
    /// nothing moving either way, and how long a request body may stop
    /// arriving before the request is answered 408.
    pub idle_timeout: std::time::Duration,
    /// Connections open at once; one more is answered 503 and closed.
    pub max_connections: usize,
}

/// The most connections open at once by default: 1024, or half the
/// process's limit on open files where that is lower, so that the rest are
/// left for the store, the answers refusing more connections and the like.
/// A process out of descriptors cannot even accept a connection to refuse
/// it, and then stalls every client.
pub fn default_max_connections() -> usize {
    const MOST: usize = 1024;
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes only the struct it is given, which lives
        // for the whole call.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return (soft / 2).clamp(16, MOST);
        }
    }
    MOST
}

impl Default for Config {
    fn default() -> Config {
        Config {
            db: None,
            write_token: None,
            max_body: 1 << 20,
            rate_limit: 100,
            code_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            cache_ttl: std::time::Duration::from_secs(5),
            allowed_hosts: Vec::new(),
            header_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(30),
            max_connections: default_max_connections(),
        }
    }
}

/// The shared state of a running server.
pub struct App {
    pub config: Config,
    /// Loaded on first use, so that a server that only browses never pays
    /// for the models.
    pipeline: OnceLock<Result<Arc<Pipeline>, String>>,
    readers: Mutex<Vec<Store>>,
    writer: Mutex<Option<Store>>,
    limiter: limits::RateLimiter,
    coding: tokio::sync::Semaphore,
    cache: cache::Cache,
    /// Queries running at once; more wait their turn, so that a burst of
    /// requests is answered in order instead of all slowly together.
    queries: Gate,
}

/// A counting semaphore for blocking threads.
struct Gate {
    running: Mutex<usize>,
    freed: std::sync::Condvar,
    max: usize,
}

impl Gate {
    fn new(max: usize) -> Gate {
        Gate {
            running: Mutex::new(0),
            freed: std::sync::Condvar::new(),
            max: max.max(1),
        }
    }

    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut n = self.running.lock().unwrap_or_else(|p| p.into_inner());
            while *n >= self.max {
                n = self.freed.wait(n).unwrap_or_else(|p| p.into_inner());
            }
            *n += 1;
        }
        let out = f();
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.freed.notify_one();
        out
    }
}

/// Read connections kept open between requests; more may be open at once,
/// but those are closed after use.
const POOL_SIZE: usize = 16;

impl App {
    pub fn new(config: Config) -> Arc<App> {
        Arc::new(App {
            limiter: limits::RateLimiter::new(config.rate_limit),
            coding: tokio::sync::Semaphore::new(config.code_workers.max(1)),
            cache: cache::Cache::new(config.cache_ttl),
            queries: Gate::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
            config,
            pipeline: OnceLock::new(),
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
        })
    }

    /// The pipeline, loading it the first time (blocking).
    pub fn pipeline(&self) -> Result<Arc<Pipeline>, ApiError> {
        self.pipeline
            .get_or_init(|| Pipeline::builtin().map(Arc::new))
            .clone()
            .map_err(ApiError::internal)
    }

    /// Runs `f` with a read connection to the store (blocking).
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let Some(db) = &self.config.db else {
            return Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "no_store",
                "this server has no event store; hint: start it with `annalist serve --db FILE`",
            ));
        };
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let store = match pooled {
            Some(s) => s,
            None => {
                if !db.exists() {
                    return Err(ApiError::new(
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        "no_store",
                        format!(
                            "{}: no such database; hint: run `annalist ingest --db {}` first",
                            db.display(),
                            db.display()
                        ),
                    ));
                }
                Store::open_read_only(db)?
            }
        };
        let out = self.queries.run(|| f(&store));
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL_SIZE {
            pool.push(store);
        }
        out
    }

    /// Runs `f` with the write connection, opening (and creating) the
    /// database on first use (blocking). Writers take turns.
    pub fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let Some(db) = &self.config.db else {
            return Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "no_store",
                "this server has no event store to write to; hint: start it with --db FILE",
            ));
        };
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(Store::open(db)?);
        }
        let store = guard
            .as_mut()
            .ok_or_else(|| ApiError::internal("no writer"))?;
        f(store)
    }
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM. `ready` is called with
/// the bound address (useful with port 0) before the first request.
pub async fn serve(
    app: Arc<App>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let timeouts = listen::Timeouts {
        header: app.config.header_timeout,
        idle: app.config.idle_timeout,
    };
    let listener = listen::GuardedListener::new(
        tokio::net::TcpListener::bind(addr).await?,
        timeouts,
        app.config.max_connections,
    );
    ready(axum::serve::Listener::local_addr(&listener)?);
    let service = router(app).into_make_service_with_connect_info::<listen::Peer>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown())
        .await
}

/// Runs the server on its own tokio runtime until Ctrl-C or SIGTERM; for
/// callers that are not async (the CLI).
pub fn run(
    config: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(App::new(config), addr, ready))
}

async fn shutdown() {
    let ctrl_c = async {
        // If the handler cannot be installed, only SIGTERM stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
