//! Sends an export over HTTP. CSV streams in 64 KB chunks from a blocking task, so a
//! ten-million-stamp batch never sits in memory; a PDF is finished before the first byte, so
//! that an error still gets a proper answer.

use super::export::{Export, Format};
use crate::app::AppState;
use crate::error::{internal, Problem};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

pub async fn respond(state: &AppState, export: Export) -> Result<Response, Problem> {
    let headers = [
        (
            header::CONTENT_TYPE,
            export.format.content_type().to_string(),
        ),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", export.file_name),
        ),
        // Codes and PINs are printing authority: never keep them in a cache.
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    let codes = state.codes.clone();
    let base = state.config.public_base();
    if export.format == Format::Csv {
        let (tx, rx) = mpsc::channel(4);
        tokio::task::spawn_blocking(move || {
            let mut out = ChannelWriter {
                tx,
                buf: Vec::with_capacity(CHUNK),
            };
            // A closed channel means the client went away: stop quietly.
            if let Err(e) = export.write(&codes, &base, &mut out, &mut |_| {}) {
                let _ = out.tx.blocking_send(Err(io::Error::other(e.to_string())));
            }
        });
        return Ok((headers, Body::from_stream(Chunks(rx))).into_response());
    }
    let bytes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        export
            .write(&codes, &base, &mut out, &mut |_| {})
            .map(|_| out)
    })
    .await
    .map_err(|_| internal())?
    .map_err(|e| {
        tracing::error!(error = %e, "stamp export failed");
        internal()
    })?;
    Ok((headers, bytes).into_response())
}

const CHUNK: usize = 64 * 1024;

struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

struct Chunks(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = io::Result<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}
