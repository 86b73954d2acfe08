//! The listener: TCP connections watched for what the HTTP layer (hyper,
//! as axum runs it) does not do itself.
//!
//! - **Time limits** (issue 20, finding 6: a head sent a byte at a time kept
//!   a connection 130 s, and idle sockets used up the file descriptors). A
//!   client has [`Timeouts::header`] to send a request's head (request line
//!   and headers), counted from when the connection opens or, on a
//!   kept-alive connection, from the request's first byte; and a connection
//!   with no request in progress on which nothing has moved either way for
//!   [`Timeouts::idle`] is closed. Whether a request is in progress is told
//!   by the router ([`track`]), so that a long coding job is never cut off
//!   for want of traffic.
//! - **A cap on open connections**: one more is answered with a JSON 503 and
//!   closed, so that the process keeps descriptors in hand (without them,
//!   accepting stalls for every client).
//! - **Overlong first lines**: hyper answers a URI over 64 KiB itself,
//!   before any handler or middleware runs, with an empty body; here the
//!   first line of a connection is read ahead, and one longer than
//!   [`MAX_FIRST_LINE`] is answered with a JSON 414 and the connection
//!   closed. Later requests on a kept-alive connection are not read ahead
//!   (that would need a full HTTP parser), so they still meet hyper's own
//!   answer.

use crate::ApiError;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// The longest first request line passed on: above the API's own 8 KiB cap
/// on query strings (which answers JSON itself), below hyper's 64 KiB.
pub const MAX_FIRST_LINE: usize = 60 * 1024;

/// How long a client may take; see the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// For a request's head, from the connection's opening or the request's
    /// first byte.
    pub header: Duration,
    /// Between requests, for a connection on which nothing moves.
    pub idle: Duration,
}

/// The address of the client, as the handlers see it, and the requests in
/// progress on its connection.
#[derive(Debug, Clone)]
pub struct Peer {
    pub addr: SocketAddr,
    activity: Arc<Activity>,
}

/// The requests in progress on one connection: kept by the router
/// ([`track`]), read by the connection's timers.
#[derive(Debug, Default)]
pub struct Activity(Mutex<Requests>);

#[derive(Debug, Default, Clone, Copy)]
struct Requests {
    /// Requests being handled now.
    running: usize,
    /// Requests begun so far: a change tells the connection that the head it
    /// was timing has arrived whole.
    begun: u64,
    /// When the last request was answered.
    ended: Option<Instant>,
}

impl Activity {
    fn now(&self) -> Requests {
        // A poisoned lock only means a handler panicked mid-update; the
        // counts are still usable.
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn begin(self: Arc<Activity>) -> Handling {
        {
            let mut r = self.0.lock().unwrap_or_else(|p| p.into_inner());
            r.running += 1;
            r.begun += 1;
        }
        Handling(self)
    }
}

/// A request being handled. Dropping it ends it, whether the answer is ready
/// or the client went away and the handler was dropped.
struct Handling(Arc<Activity>);

impl Drop for Handling {
    fn drop(&mut self) {
        let mut r = self.0 .0.lock().unwrap_or_else(|p| p.into_inner());
        r.running = r.running.saturating_sub(1);
        r.ended = Some(Instant::now());
    }
}

/// Middleware: marks the connection as busy while a request is handled, so
/// that its timers wait. Requests served in process (tests) carry no
/// connection and are not tracked.
pub(crate) async fn track(req: Request, next: Next) -> Response {
    let _handling = req
        .extensions()
        .get::<ConnectInfo<Peer>>()
        .map(|c| c.0.activity.clone().begin());
    next.run(req).await
}

/// A TCP listener whose connections are [`Guarded`], at most
/// `max_connections` at once.
pub struct GuardedListener {
    listener: TcpListener,
    timeouts: Timeouts,
    max_connections: usize,
    slots: Arc<Semaphore>,
    refusing: Arc<Semaphore>,
}

/// Refusals answered at once; a connection past them is closed unanswered,
/// since each answer holds a descriptor for a moment.
const MAX_REFUSING: usize = 64;

/// How long a refused connection is kept for its client to read the answer.
const REFUSAL_LINGER: Duration = Duration::from_secs(2);

impl GuardedListener {
    pub fn new(listener: TcpListener, timeouts: Timeouts, max_connections: usize) -> Self {
        let max_connections = max_connections.max(1);
        GuardedListener {
            listener,
            timeouts,
            max_connections,
            slots: Arc::new(Semaphore::new(max_connections)),
            refusing: Arc::new(Semaphore::new(MAX_REFUSING)),
        }
    }

    /// Answers a connection past the cap with a JSON 503 on a task of its
    /// own, so that accepting goes on meanwhile.
    fn refuse(&self, io: TcpStream) {
        let Ok(permit) = self.refusing.clone().try_acquire_owned() else {
            return;
        };
        let answer = raw_answer(
            &ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too_many_connections",
                format!(
                    "the server already has {} connections open; hint: retry in a few seconds, \
                     or start it with a higher --max-connections",
                    self.max_connections
                ),
            ),
            "retry-after: 1\r\n",
        );
        tokio::spawn(async move {
            let _permit = permit;
            let _ = tokio::time::timeout(REFUSAL_LINGER, linger(io, answer)).await;
        });
    }
}

/// Writes `answer`, then reads (and drops) what the client sends until it
/// closes, so that closing with unread input does not reset the connection
/// before the client has read the answer.
async fn linger(mut io: TcpStream, answer: Vec<u8>) -> io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    io.write_all(&answer).await?;
    io.shutdown().await?;
    let mut buf = [0u8; 8192];
    let mut seen = 0;
    while seen < MAX_DRAIN {
        match io.read(&mut buf).await? {
            0 => break,
            n => seen += n,
        }
    }
    Ok(())
}

impl Listener for GuardedListener {
    type Io = Guarded;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Guarded, SocketAddr) {
        loop {
            let (io, addr) = Listener::accept(&mut self.listener).await;
            match self.slots.clone().try_acquire_owned() {
                Ok(slot) => return (Guarded::new(io, self.timeouts, Some(slot)), addr),
                Err(_) => self.refuse(io),
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

impl Connected<IncomingStream<'_, GuardedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, GuardedListener>) -> Peer {
        Peer {
            addr: *stream.remote_addr(),
            activity: stream.io().activity.clone(),
        }
    }
}

/// The most of a refused request read and dropped before closing.
const MAX_DRAIN: usize = 1 << 20;

/// A whole HTTP/1.1 answer carrying `error`, headers and all, for answers
/// given below the HTTP layer. `extra` holds more header lines, each ending
/// in CRLF.
fn raw_answer(error: &ApiError, extra: &str) -> Vec<u8> {
    let body = error.body().to_string();
    format!(
        "HTTP/1.1 {} {}\r\n\
         content-type: application/json\r\n\
         x-content-type-options: nosniff\r\n\
         content-security-policy: default-src 'none'; frame-ancestors 'none'; base-uri 'none'\r\n\
         {extra}\
         connection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        error.status.as_u16(),
        error.status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// The JSON 414 answer, headers and all.
fn refusal() -> Vec<u8> {
    raw_answer(
        &ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "the request line is too long; hint: shorten the filter values",
        ),
        "",
    )
}

enum State {
    /// Reading ahead until the first line ends.
    FirstLine,
    /// Handing the bytes read ahead to hyper, from this position.
    Replay(usize),
    /// Reading straight from the socket.
    Pass,
    /// Writing the JSON 414 (kept in `head`), this many bytes written so far.
    Refuse(usize),
    /// Reading and dropping the rest of the refused request's head (this
    /// many bytes so far), so that closing the socket with unread input does
    /// not reset the connection before the client has read the answer.
    Drain(usize),
    /// The refusal is written: hyper sees the end of the stream.
    Closed,
}

/// A connection with time limits whose first request line is read ahead.
pub struct Guarded {
    io: TcpStream,
    head: Vec<u8>,
    state: State,
    timeouts: Timeouts,
    activity: Arc<Activity>,
    /// When a byte last moved either way, or the connection opened.
    last_io: Instant,
    /// When the request head now arriving began, with the count of requests
    /// begun then; `None` between requests.
    head_since: Option<(Instant, u64)>,
    timer: Pin<Box<Sleep>>,
    /// The connection's place under the cap, given back when it closes.
    _slot: Option<OwnedSemaphorePermit>,
}

impl Guarded {
    fn new(io: TcpStream, timeouts: Timeouts, slot: Option<OwnedSemaphorePermit>) -> Guarded {
        let now = Instant::now();
        Guarded {
            io,
            head: Vec::new(),
            state: State::FirstLine,
            timeouts,
            activity: Arc::default(),
            last_io: now,
            // A new connection owes its first head from the start: a client
            // that connects and sends nothing is held to the header limit.
            head_since: Some((now, 0)),
            timer: Box::pin(tokio::time::sleep_until(now + timeouts.header)),
            _slot: slot,
        }
    }

    /// When the connection is to be closed unless something moves first;
    /// `None` while a request is handled.
    fn deadline(&mut self) -> Option<Instant> {
        let r = self.activity.now();
        if r.running > 0 {
            return None;
        }
        let quiet_since = r.ended.map_or(self.last_io, |e| e.max(self.last_io));
        let idle = quiet_since + self.timeouts.idle;
        match self.head_since {
            Some((since, begun)) if begun == r.begun => {
                Some(idle.min(since + self.timeouts.header))
            }
            _ => {
                self.head_since = None;
                Some(idle)
            }
        }
    }

    /// Called when the socket has nothing to give or take: arms the timer
    /// for the deadline, and answers whether it has passed.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(at) = self.deadline() else {
            return false;
        };
        if self.timer.deadline() != at {
            self.timer.as_mut().reset(at);
        }
        self.timer.as_mut().poll(cx).is_ready()
    }

    fn timed_out() -> io::Error {
        io::Error::new(
            io::ErrorKind::TimedOut,
            "the client sent no complete request in time",
        )
    }

    /// Reads from the socket, noting the bytes that arrive and failing the
    /// read once the deadline has passed with none.
    fn poll_socket_read(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.arrived();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(Guarded::timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_socket_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.last_io = Instant::now();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            // A client that reads nothing of its answer is idle too.
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(Guarded::timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Bytes arrived: outside a request, they begin a head, which the header
    /// limit times from now.
    fn arrived(&mut self) {
        let now = Instant::now();
        self.last_io = now;
        let r = self.activity.now();
        let timing = self.head_since.is_some_and(|(_, begun)| begun == r.begun);
        if r.running == 0 && !timing {
            self.head_since = Some((now, r.begun));
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match this.state {
                State::FirstLine => {
                    let mut chunk = [0u8; 8192];
                    let mut rb = ReadBuf::new(&mut chunk);
                    match this.poll_socket_read(cx, &mut rb) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                        Poll::Ready(Ok(())) => {
                            let got = rb.filled();
                            let ended = got.is_empty() || got.contains(&b'\n');
                            this.head.extend_from_slice(got);
                            if ended {
                                this.state = State::Replay(0);
                            } else if this.head.len() > MAX_FIRST_LINE {
                                this.head = refusal();
                                this.state = State::Refuse(0);
                            }
                        }
                    }
                }
                State::Replay(pos) => {
                    let n = buf.remaining().min(this.head.len() - pos);
                    buf.put_slice(&this.head[pos..pos + n]);
                    if pos + n >= this.head.len() {
                        this.head = Vec::new();
                        this.state = State::Pass;
                    } else {
                        this.state = State::Replay(pos + n);
                    }
                    return Poll::Ready(Ok(()));
                }
                State::Pass => return this.poll_socket_read(cx, buf),
                State::Refuse(done) => {
                    let head = std::mem::take(&mut this.head);
                    let written = this.poll_socket_write(cx, &head[done..]);
                    this.head = head;
                    match written {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                        Poll::Ready(Ok(0)) => this.state = State::Closed,
                        Poll::Ready(Ok(n)) if done + n >= this.head.len() => {
                            this.head = Vec::new();
                            this.state = State::Drain(0);
                        }
                        Poll::Ready(Ok(n)) => this.state = State::Refuse(done + n),
                    }
                }
                State::Drain(seen) => {
                    let mut chunk = [0u8; 8192];
                    let mut rb = ReadBuf::new(&mut chunk);
                    match this.poll_socket_read(cx, &mut rb) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(_)) => this.state = State::Closed,
                        Poll::Ready(Ok(())) => {
                            let got = rb.filled();
                            // The head ends with an empty line; the window
                            // keeps the last bytes of the previous chunk.
                            this.head.extend_from_slice(got);
                            let ended = this.head.windows(2).any(|w| w == b"\n\n")
                                || this.head.windows(3).any(|w| w == b"\n\r\n");
                            let keep = this.head.len().saturating_sub(2);
                            this.head.drain(..keep);
                            let seen = seen + got.len();
                            this.state = if got.is_empty() || ended || seen > MAX_DRAIN {
                                State::Closed
                            } else {
                                State::Drain(seen)
                            };
                        }
                    }
                }
                // The end of the stream makes hyper close the connection
                // without a word of its own.
                State::Closed => return Poll::Ready(Ok(())),
            }
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_socket_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn the_refusal_declares_its_own_length() {
        let answer = refusal();
        let text = std::str::from_utf8(&answer).unwrap();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "uri_too_long");
    }

    /// A connected pair: the server's end guarded with `timeouts`, and the
    /// client's end.
    async fn pair(timeouts: Timeouts) -> (Guarded, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (Guarded::new(server, timeouts, None), client)
    }

    const SHORT: Timeouts = Timeouts {
        header: Duration::from_millis(200),
        idle: Duration::from_millis(200),
    };

    #[tokio::test]
    async fn a_request_in_progress_is_never_timed_out() {
        let (mut server, mut client) = pair(SHORT).await;
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 64];
        let n = server.read(&mut buf).await.unwrap();
        assert!(n > 0);
        // The handler runs for several times both limits with no traffic.
        let handling = server.activity.clone().begin();
        let quiet = tokio::time::timeout(Duration::from_millis(800), server.read(&mut buf)).await;
        assert!(quiet.is_err(), "the read ended while a request was handled");
        drop(handling);
        // Once it is answered, the idle limit counts from the answer.
        let started = std::time::Instant::now();
        let end = tokio::time::timeout(Duration::from_secs(5), server.read(&mut buf)).await;
        let err = end.expect("the idle limit never struck").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(150));
    }

    #[tokio::test]
    async fn a_silent_connection_is_held_to_the_header_limit() {
        let timeouts = Timeouts {
            header: Duration::from_millis(200),
            idle: Duration::from_secs(60),
        };
        let (mut server, _client) = pair(timeouts).await;
        let mut buf = [0u8; 64];
        let end = tokio::time::timeout(Duration::from_secs(5), server.read(&mut buf)).await;
        assert!(end.expect("a silent connection stayed open").is_err());
    }
}
