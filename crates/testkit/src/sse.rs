//! Plays a list of server-sent events as a response body: a delay between events, and a
//! scripted fault (close, stall, final error event) after some of them.
//!
//! Wire-neutral: the caller renders each event's bytes (`data: ...\n\n` for OpenAI) and
//! decides where the fault goes.

use std::io;
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use tokio::sync::watch;

use crate::server::{sleep_unless_stopped, stopped};

/// What ends a stream early.
#[derive(Debug)]
pub(crate) enum Fault {
    /// Drop the connection without finishing the body.
    Close,
    /// Send nothing more, keep the connection open until the server stops.
    Stall,
    /// Send this last event, then end the body normally.
    LastEvent(Bytes),
}

/// A stream of events to play.
#[derive(Debug)]
pub(crate) struct Playback {
    pub(crate) events: Vec<Bytes>,
    pub(crate) delay: Duration,
    /// The fault and how many events go before it.
    pub(crate) fault: Option<(usize, Fault)>,
}

struct Cursor {
    events: std::vec::IntoIter<Bytes>,
    sent: usize,
    delay: Duration,
    fault: Option<(usize, Fault)>,
    signal: watch::Receiver<bool>,
    done: bool,
}

fn aborted(why: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, why)
}

impl Playback {
    /// The response body; `signal` ends stalls and delays when the server stops.
    pub(crate) fn into_body(self, signal: watch::Receiver<bool>) -> Body {
        let cursor = Cursor {
            events: self.events.into_iter(),
            sent: 0,
            delay: self.delay,
            fault: self.fault,
            signal,
            done: false,
        };
        Body::from_stream(futures_util::stream::unfold(cursor, next_frame))
    }
}

async fn next_frame(mut c: Cursor) -> Option<(io::Result<Bytes>, Cursor)> {
    if c.done {
        return None;
    }
    if c.fault.as_ref().is_some_and(|(at, _)| *at <= c.sent) {
        c.done = true;
        let (_, fault) = c.fault.take()?;
        let frame = match fault {
            Fault::Close => {
                // Let hyper flush the headers and the events so far: a body that fails
                // while they are still buffered loses them with the connection.
                tokio::task::yield_now().await;
                Err(aborted("scripted close mid-stream"))
            }
            Fault::Stall => {
                stopped(&mut c.signal).await;
                Err(aborted("server stopped during a stalled stream"))
            }
            Fault::LastEvent(event) => {
                if !pause(&mut c).await {
                    return Some((Err(aborted("server stopped")), c));
                }
                Ok(event)
            }
        };
        return Some((frame, c));
    }
    let event = c.events.next()?;
    if !pause(&mut c).await {
        c.done = true;
        return Some((Err(aborted("server stopped")), c));
    }
    c.sent += 1;
    Some((Ok(event), c))
}

/// The delay before an event other than the first; false if the server stopped meanwhile.
async fn pause(c: &mut Cursor) -> bool {
    c.sent == 0 || sleep_unless_stopped(c.delay, &mut c.signal).await
}
