//! The listener: TCP connections whose first request line is watched, so
//! that a URI too long for the HTTP layer gets a JSON error like every other
//! refusal. The HTTP layer (hyper) answers a URI over 64 KiB itself, before
//! any handler or middleware runs, with an empty body; here the first line
//! of a connection is read ahead, and one longer than [`MAX_FIRST_LINE`] is
//! answered with a JSON 414 and the connection closed. Later requests on a
//! kept-alive connection are not read ahead (that would need a full HTTP
//! parser), so they still meet hyper's own answer.

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The longest first request line passed on: above the API's own 8 KiB cap
/// on query strings (which answers JSON itself), below hyper's 64 KiB.
pub const MAX_FIRST_LINE: usize = 60 * 1024;

/// The address of the client, as the handlers see it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// A TCP listener whose connections are [`Guarded`].
pub struct GuardedListener(pub TcpListener);

impl Listener for GuardedListener {
    type Io = Guarded;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Guarded, SocketAddr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        (Guarded::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, GuardedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, GuardedListener>) -> Peer {
        Peer(*stream.remote_addr())
    }
}

/// The most of a refused request read and dropped before closing.
const MAX_DRAIN: usize = 1 << 20;

/// The JSON 414 answer, headers and all.
fn refusal() -> Vec<u8> {
    let body = r#"{"error":{"code":"uri_too_long","message":"the request line is too long; hint: shorten the filter values"}}"#;
    format!(
        "HTTP/1.1 414 URI Too Long\r\n\
         content-type: application/json\r\n\
         x-content-type-options: nosniff\r\n\
         content-security-policy: default-src 'none'; frame-ancestors 'none'; base-uri 'none'\r\n\
         connection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
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

/// A connection whose first request line is read ahead.
pub struct Guarded {
    io: TcpStream,
    head: Vec<u8>,
    state: State,
}

impl Guarded {
    fn new(io: TcpStream) -> Guarded {
        Guarded {
            io,
            head: Vec::new(),
            state: State::FirstLine,
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
                    match Pin::new(&mut this.io).poll_read(cx, &mut rb) {
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
                State::Pass => return Pin::new(&mut this.io).poll_read(cx, buf),
                State::Refuse(done) => {
                    match Pin::new(&mut this.io).poll_write(cx, &this.head[done..]) {
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
                    match Pin::new(&mut this.io).poll_read(cx, &mut rb) {
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
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
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

    #[test]
    fn the_refusal_declares_its_own_length() {
        let answer = refusal();
        let text = std::str::from_utf8(&answer).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "uri_too_long");
    }
}
