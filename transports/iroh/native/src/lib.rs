//! alknet's narrow C ABI over the `iroh` crate, called from Java through the Foreign Function & Memory
//! API (`io.alknet.transport.iroh.internal.Native`).
//!
//! # Ownership
//! Java never holds a Rust pointer. Every endpoint, connection and stream lives in one registry and is
//! named by a `u64` handle; `alk_*_free` (or `alk_endpoint_close`) removes it, exactly once. A stale or
//! unknown handle is an error (`E_INVALID`), never undefined behaviour. Byte buffers cross only for the
//! duration of a call: writes are copied in, received data is lent to the callback and freed after it.
//!
//! # Threads
//! Each endpoint owns a tokio runtime. Calls that start work (`alk_connect`, `alk_listen`,
//! `alk_open_bi`, `alk_stream_start`, `alk_stream_write`, …) return at once; completions reach Java
//! through the one callback given to `alk_init`, on a runtime thread. Only `alk_endpoint_create` and
//! `alk_endpoint_close` block, and Java calls them from its own threads.
//!
//! # Failures
//! Every exported function catches panics and returns `E_PANIC` with the message; spawned tasks catch
//! theirs and report them through the callback. Errors carry a code and a UTF-8 message.

// Every `alk_*` function takes its pointers from `Native.java`, which passes NUL-terminated strings and buffers of the
// documented sizes from its own arenas; the functions are the C ABI, so they stay plain `extern "C"`.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod alloc;

use std::collections::HashMap;
use std::ffi::{c_char, CStr};
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures_util::FutureExt;
use iroh::endpoint::{presets, Connection, IdleTimeout, QuicTransportConfig, RecvStream, SendStream, VarInt};
use iroh::{Endpoint, EndpointAddr, EndpointId, RelayMode, RelayUrl, SecretKey};
use tokio::sync::{mpsc, watch, Notify};

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

/// The callback Java registers: `(token, kind, value, data, len)`. `data` is valid during the call only.
pub type Callback = extern "C" fn(token: u64, kind: i32, value: i64, data: *const u8, len: usize);

// Event kinds. Operation events carry the token Java passed; stream events carry the stream handle.
/// An operation finished; `value` is the new handle (connection or stream), or 0.
pub const EV_DONE: i32 = 0;
/// An operation failed; `value` is the error code, `data` the message.
pub const EV_FAILED: i32 = 1;
/// A listener or connection produced a new connection / stream; `value` is its handle.
pub const EV_INCOMING: i32 = 2;
/// A listener or connection ended; `value` is the error code (0 = closed normally), `data` the reason.
pub const EV_ENDED: i32 = 3;
/// Stream data; `data`/`len` are the bytes.
pub const EV_DATA: i32 = 10;
/// The peer finished its side of the stream.
pub const EV_EOF: i32 = 11;
/// Reading failed; `value` is the error code, `data` the message.
pub const EV_READ_FAILED: i32 = 12;
/// Writes were handed to QUIC; `value` is how many (the oldest outstanding ones, in order).
pub const EV_WRITTEN: i32 = 13;
/// Writing failed; `value` is the error code, `data` the message. Later writes fail too.
pub const EV_WRITE_FAILED: i32 = 14;
/// Our end-of-stream was sent (after every queued write).
pub const EV_FINISHED: i32 = 15;
/// Reading ended because the stream was reset or freed here. Every read loop ends with exactly one of
/// `EV_EOF`, `EV_READ_FAILED` or `EV_READ_STOPPED`; nothing is delivered after it.
pub const EV_READ_STOPPED: i32 = 16;

// Error codes: negative return values, and `value` of failure events.
pub const E_INVALID: i64 = -1;
pub const E_CLOSED: i64 = -2;
pub const E_CONNECT: i64 = -3;
pub const E_PANIC: i64 = -4;
pub const E_BIND: i64 = -5;
pub const E_RESET: i64 = -6;
pub const E_LOST: i64 = -7;
pub const E_TIMEOUT: i64 = -8;

/// The first byte on every stream alknet opens: it makes the stream visible to the peer at once (QUIC
/// announces a stream only with its first frame) and leaves room for other stream kinds later.
const STREAM_DUPLEX: u8 = 1;
const READ_CHUNK: usize = 64 * 1024;
/// Queued writes handed to QUIC together.
const WRITE_BATCH: usize = 64;
/// Streams a peer may have open on one connection at once (one per SSH session it runs to us).
const MAX_STREAMS: u32 = 4096;

static CALLBACK: OnceLock<Callback> = OnceLock::new();
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);
static OBJECTS: OnceLock<Mutex<HashMap<u64, Object>>> = OnceLock::new();

#[derive(Clone)]
enum Object {
    Endpoint(Arc<EndpointObj>),
    Conn(Arc<ConnObj>),
    Stream(Arc<StreamObj>),
}

struct EndpointObj {
    endpoint: Endpoint,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
}

struct ConnObj {
    conn: Connection,
    rt: tokio::runtime::Handle,
}

enum WriteCmd {
    Data(bytes::Bytes),
    Finish,
}

struct StreamObj {
    writes: mpsc::UnboundedSender<WriteCmd>,
    paused: watch::Sender<bool>,
    stop: Arc<Notify>,
    reset: Arc<ResetSignal>,
    recv: Mutex<Option<RecvStream>>,
    rt: tokio::runtime::Handle,
}

struct ResetSignal {
    code: AtomicU64,
    notify: Notify,
}

type Failure = (i64, String);

fn objects() -> &'static Mutex<HashMap<u64, Object>> {
    OBJECTS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn insert(object: Object) -> u64 {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    objects().lock().unwrap_or_else(|p| p.into_inner()).insert(handle, object);
    handle
}

fn lookup(handle: u64) -> Result<Object, Failure> {
    objects()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&handle)
        .cloned()
        .ok_or_else(|| (E_INVALID, format!("unknown or already freed handle {handle}")))
}

fn remove(handle: u64) -> Option<Object> {
    objects().lock().unwrap_or_else(|p| p.into_inner()).remove(&handle)
}

fn endpoint(handle: u64) -> Result<Arc<EndpointObj>, Failure> {
    match lookup(handle)? {
        Object::Endpoint(e) => Ok(e),
        _ => Err((E_INVALID, format!("handle {handle} is not an endpoint"))),
    }
}

fn conn(handle: u64) -> Result<Arc<ConnObj>, Failure> {
    match lookup(handle)? {
        Object::Conn(c) => Ok(c),
        _ => Err((E_INVALID, format!("handle {handle} is not a connection"))),
    }
}

fn stream(handle: u64) -> Result<Arc<StreamObj>, Failure> {
    match lookup(handle)? {
        Object::Stream(s) => Ok(s),
        _ => Err((E_INVALID, format!("handle {handle} is not a stream"))),
    }
}

fn emit(token: u64, kind: i32, value: i64, data: &[u8]) {
    if let Some(callback) = CALLBACK.get() {
        callback(token, kind, value, data.as_ptr(), data.len());
    }
}

/// An error and the chain of its causes, on one line.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panic in alknet-iroh: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panic in alknet-iroh: {s}")
    } else {
        "panic in alknet-iroh".to_string()
    }
}

/// Writes `message` as a NUL-terminated string into Java's error buffer.
fn write_error(buf: *mut u8, cap: usize, message: &str) {
    if buf.is_null() || cap == 0 {
        return;
    }
    let bytes = message.as_bytes();
    let n = bytes.len().min(cap - 1);
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, n);
        *buf.add(n) = 0;
    }
}

/// Runs an exported function body: catches panics, turns failures into a negative code + message.
fn guard(err: *mut u8, cap: usize, body: impl FnOnce() -> Result<i64, Failure>) -> i64 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err((code, message))) => {
            write_error(err, cap, &message);
            code
        }
        Err(payload) => {
            write_error(err, cap, &panic_message(payload));
            E_PANIC
        }
    }
}

/// Copies a string out of Java's buffer; null means absent.
fn text(ptr: *const c_char, what: &str) -> Result<Option<String>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    let s = unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| (E_INVALID, format!("{what} is not UTF-8")))?;
    Ok(if s.is_empty() { None } else { Some(s.to_string()) })
}

/// Calls `on_drop` unless disarmed: a task cancelled by its runtime shutting down still tells Java.
struct DropGuard<F: FnOnce()> {
    on_drop: Option<F>,
}

impl<F: FnOnce()> DropGuard<F> {
    fn disarm(&mut self) {
        self.on_drop = None;
    }
}

impl<F: FnOnce()> Drop for DropGuard<F> {
    fn drop(&mut self) {
        if let Some(f) = self.on_drop.take() {
            f();
        }
    }
}

/// Spawns a one-shot operation whose outcome reaches Java as `EV_DONE(value)` or `EV_FAILED(code, message)`.
/// The guard is built before spawning and moved into the task: a task dropped before it ever ran (its runtime
/// shutting down) still reports.
fn spawn_op<F>(rt: &tokio::runtime::Handle, token: u64, work: F)
where
    F: Future<Output = Result<i64, Failure>> + Send + 'static,
{
    let cancelled = DropGuard {
        on_drop: Some(move || emit(token, EV_FAILED, E_CLOSED, b"the iroh endpoint was closed")),
    };
    rt.spawn(async move {
        let mut cancelled = cancelled;
        let outcome = AssertUnwindSafe(work).catch_unwind().await;
        cancelled.disarm();
        match outcome {
            Ok(Ok(value)) => emit(token, EV_DONE, value, &[]),
            Ok(Err((code, message))) => emit(token, EV_FAILED, code, message.as_bytes()),
            Err(payload) => emit(token, EV_FAILED, E_PANIC, panic_message(payload).as_bytes()),
        }
    });
}

/// Spawns a loop that reports through events of its own; a panic or cancellation ends it with `EV_ENDED`.
fn spawn_loop<F>(rt: &tokio::runtime::Handle, token: u64, work: F)
where
    F: Future<Output = (i64, String)> + Send + 'static,
{
    let cancelled = DropGuard {
        on_drop: Some(move || emit(token, EV_ENDED, E_CLOSED, b"the iroh endpoint was closed")),
    };
    rt.spawn(async move {
        let mut cancelled = cancelled;
        let outcome = AssertUnwindSafe(work).catch_unwind().await;
        cancelled.disarm();
        match outcome {
            Ok((code, message)) => emit(token, EV_ENDED, code, message.as_bytes()),
            Err(payload) => emit(token, EV_ENDED, E_PANIC, panic_message(payload).as_bytes()),
        }
    });
}

/// Fails when called on one of the library's runtime threads, where blocking would stall (or panic in) tokio.
fn not_on_runtime(what: &str) -> Result<(), Failure> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err((
            E_INVALID,
            format!("{what} blocks and cannot run on an iroh thread; call it from another thread"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Library

/// Registers the callback. Must be called once before anything else; later calls are ignored.
#[no_mangle]
pub extern "C" fn alk_init(callback: Callback) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let _ = CALLBACK.set(callback);
        Ok(0)
    })
}

/// Fills `out[0..n]` with: live native bytes, live allocations, endpoints, connections, streams.
#[no_mangle]
pub extern "C" fn alk_stats(out: *mut i64, n: usize) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let (mut endpoints, mut conns, mut streams) = (0i64, 0i64, 0i64);
        for object in objects().lock().unwrap_or_else(|p| p.into_inner()).values() {
            match object {
                Object::Endpoint(_) => endpoints += 1,
                Object::Conn(_) => conns += 1,
                Object::Stream(_) => streams += 1,
            }
        }
        let values = [alloc::live_bytes(), alloc::live_allocations(), endpoints, conns, streams];
        for (i, value) in values.iter().take(n).enumerate() {
            unsafe { *out.add(i) = *value };
        }
        Ok(values.len().min(n) as i64)
    })
}

/// Parses an endpoint id (hex or base32) and writes its canonical form (NUL-terminated) to `out`.
#[no_mangle]
pub extern "C" fn alk_id_canonical(id: *const c_char, out: *mut u8, cap: usize, err: *mut u8, err_cap: usize) -> i64 {
    guard(err, err_cap, || {
        let id = parse_id(text(id, "endpoint id")?.as_deref().unwrap_or(""))?;
        write_error(out, cap, &id.to_string());
        Ok(0)
    })
}

fn parse_id(text: &str) -> Result<EndpointId, Failure> {
    if text.is_empty() {
        return Err((E_INVALID, "the endpoint id is empty".to_string()));
    }
    text.parse::<EndpointId>().map_err(|e| {
        (
            E_INVALID,
            format!(
                "'{text}' is not an iroh endpoint id (64 hex digits or 52 base32 characters): {}",
                describe(&e)
            ),
        )
    })
}

fn parse_addrs(list: Option<String>) -> Result<Vec<SocketAddr>, Failure> {
    let mut addrs = Vec::new();
    for part in list.iter().flat_map(|s| s.split(',')).filter(|s| !s.is_empty()) {
        addrs.push(
            part.parse::<SocketAddr>()
                .map_err(|_| (E_INVALID, format!("'{part}' is not IP:PORT")))?,
        );
    }
    Ok(addrs)
}

// ---------------------------------------------------------------------------------------------------
// Endpoints

/// Creates and binds an endpoint. Blocks until bound.
///
/// * `secret`: 32 bytes, or null for a fresh, unstored key
/// * `relay_mode`: 0 = n0's default relays (and n0 DNS address lookup), 1 = disabled, 2 = `relay_url`
/// * `proxy_url`: null, or `socks5://…` / `http://…` for the endpoint's outbound relay connections
/// * `bind`: null, or comma-separated `IP:PORT` to bind (default: any address, any port)
/// * `alpns`: comma-separated ALPNs to accept (empty: accept nothing)
/// * `threads`: runtime worker threads
/// * `idle_timeout_ms`: how long a silent peer keeps its connection (0 = iroh's default, 30 s)
#[no_mangle]
pub extern "C" fn alk_endpoint_create(
    secret: *const u8,
    relay_mode: i32,
    relay_url: *const c_char,
    proxy_url: *const c_char,
    bind: *const c_char,
    alpns: *const c_char,
    threads: i32,
    idle_timeout_ms: u64,
    err: *mut u8,
    err_cap: usize,
) -> i64 {
    guard(err, err_cap, || {
        not_on_runtime("creating an iroh endpoint")?;
        let secret = if secret.is_null() {
            SecretKey::generate()
        } else {
            let mut bytes = [0u8; 32];
            unsafe { std::ptr::copy_nonoverlapping(secret, bytes.as_mut_ptr(), 32) };
            SecretKey::from_bytes(&bytes)
        };
        let relay_url = text(relay_url, "relay URL")?;
        let proxy_url = text(proxy_url, "proxy URL")?;
        let binds = parse_addrs(text(bind, "bind address")?)?;
        let alpns: Vec<Vec<u8>> = text(alpns, "ALPN list")?
            .map(|s| {
                s.split(',')
                    .filter(|a| !a.is_empty())
                    .map(|a| a.as_bytes().to_vec())
                    .collect()
            })
            .unwrap_or_default();

        let mut builder = match relay_mode {
            0 => Endpoint::builder(presets::N0),
            1 => Endpoint::builder(presets::Minimal).relay_mode(RelayMode::Disabled),
            2 => {
                let url = relay_url.ok_or_else(|| (E_INVALID, "relay mode 'custom' needs a relay URL".to_string()))?;
                let url: RelayUrl = url
                    .parse()
                    .map_err(|e| (E_INVALID, format!("'{url}' is not a relay URL: {}", describe(&e))))?;
                Endpoint::builder(presets::Minimal).relay_mode(RelayMode::custom([url]))
            }
            other => return Err((E_INVALID, format!("unknown relay mode {other}"))),
        };
        builder = builder.secret_key(secret).alpns(alpns);
        let mut quic = QuicTransportConfig::builder().max_concurrent_bidi_streams(VarInt::from_u32(MAX_STREAMS));
        if idle_timeout_ms > 0 {
            let timeout = IdleTimeout::try_from(Duration::from_millis(idle_timeout_ms))
                .map_err(|_| (E_INVALID, format!("idle timeout {idle_timeout_ms} ms is out of range")))?;
            quic = quic.max_idle_timeout(Some(timeout));
        }
        builder = builder.transport_config(quic.build());
        if let Some(proxy) = proxy_url {
            let url: url::Url = proxy
                .parse()
                .map_err(|e| (E_INVALID, format!("'{proxy}' is not a proxy URL: {e}")))?;
            builder = builder.proxy_url(url);
        }
        if !binds.is_empty() {
            builder = builder.clear_ip_transports();
            for addr in &binds {
                builder = builder
                    .bind_addr(*addr)
                    .map_err(|e| (E_INVALID, format!("cannot bind {addr}: {}", describe(&e))))?;
            }
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.clamp(1, 64) as usize)
            .thread_name("alknet-iroh")
            .enable_all()
            .build()
            .map_err(|e| (E_BIND, format!("cannot start the iroh runtime: {e}")))?;
        let endpoint = runtime
            .block_on(builder.bind())
            .map_err(|e| (E_BIND, format!("cannot bind the iroh endpoint: {}", describe(&e))))?;
        let handle = runtime.handle().clone();
        Ok(insert(Object::Endpoint(Arc::new(EndpointObj {
            endpoint,
            runtime: Mutex::new(Some(runtime)),
            handle,
        }))) as i64)
    })
}

/// Writes `ID|addr,addr|relay` (canonical id, direct addresses, home relay or empty) to `out`.
/// Waits up to `wait_ms` for a first direct address and, with `want_relay`, for the home relay.
#[no_mangle]
pub extern "C" fn alk_endpoint_addr(
    ep: u64,
    wait_ms: u64,
    want_relay: i32,
    out: *mut u8,
    cap: usize,
    err: *mut u8,
    err_cap: usize,
) -> i64 {
    guard(err, err_cap, || {
        let obj = endpoint(ep)?;
        let endpoint = obj.endpoint.clone();
        let addr = if wait_ms == 0 {
            endpoint.addr()
        } else {
            not_on_runtime("waiting for the endpoint's address")?;
            obj.handle.block_on(async move {
                let mut watcher = endpoint.watch_addr();
                let deadline = tokio::time::Instant::now() + Duration::from_millis(wait_ms);
                loop {
                    let addr = iroh::Watcher::get(&mut watcher);
                    let complete = addr.ip_addrs().next().is_some() && (want_relay == 0 || addr.relay_urls().next().is_some());
                    if complete || tokio::time::Instant::now() >= deadline {
                        return addr;
                    }
                    let _ = tokio::time::timeout_at(deadline, iroh::Watcher::updated(&mut watcher)).await;
                }
            })
        };
        let mut ips: Vec<SocketAddr> = addr.ip_addrs().copied().collect();
        for bound in obj.endpoint.bound_sockets() {
            if !bound.ip().is_unspecified() && !ips.contains(&bound) {
                ips.push(bound);
            }
        }
        let ips: Vec<String> = ips.iter().map(|a| a.to_string()).collect();
        let relay = addr.relay_urls().next().map(|u| u.to_string()).unwrap_or_default();
        write_error(out, cap, &format!("{}|{}|{}", obj.endpoint.id(), ips.join(","), relay));
        Ok(0)
    })
}

/// Closes the endpoint: every connection and stream on it fails, pending operations report
/// `E_CLOSED`, the runtime stops. Blocks up to about three seconds. Frees the handle.
#[no_mangle]
pub extern "C" fn alk_endpoint_close(ep: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        not_on_runtime("closing an iroh endpoint")?;
        let obj = endpoint(ep)?;
        remove(ep);
        let runtime = obj.runtime.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(runtime) = runtime {
            let endpoint = obj.endpoint.clone();
            runtime.block_on(async move {
                let _ = tokio::time::timeout(Duration::from_secs(2), endpoint.close()).await;
            });
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        // Connections and streams of this endpoint stay in the registry until Java frees them; using
        // them now reports the endpoint closed.
        Ok(0)
    })
}

// ---------------------------------------------------------------------------------------------------
// Connections

/// Dials `id` (at the given direct addresses and/or relay) with `alpn`. `EV_DONE(conn handle)`.
#[no_mangle]
pub extern "C" fn alk_connect(
    ep: u64,
    id: *const c_char,
    addrs: *const c_char,
    relay_url: *const c_char,
    alpn: *const c_char,
    timeout_ms: u64,
    token: u64,
    err: *mut u8,
    err_cap: usize,
) -> i64 {
    guard(err, err_cap, || {
        let obj = endpoint(ep)?;
        let id = parse_id(text(id, "endpoint id")?.as_deref().unwrap_or(""))?;
        let addrs = parse_addrs(text(addrs, "addresses")?)?;
        let relay = match text(relay_url, "relay URL")? {
            Some(url) => Some(
                url.parse::<RelayUrl>()
                    .map_err(|e| (E_INVALID, format!("'{url}' is not a relay URL: {}", describe(&e))))?,
            ),
            None => None,
        };
        let alpn = text(alpn, "ALPN")?.ok_or_else(|| (E_INVALID, "an ALPN is required".to_string()))?;
        let mut target = EndpointAddr::new(id);
        for addr in addrs {
            target = target.with_ip_addr(addr);
        }
        if let Some(relay) = relay {
            target = target.with_relay_url(relay);
        }
        let endpoint = obj.endpoint.clone();
        let rt = obj.handle.clone();
        spawn_op(&obj.handle, token, async move {
            let connecting = endpoint.connect(target, alpn.as_bytes());
            let conn = match tokio::time::timeout(Duration::from_millis(timeout_ms.max(1)), connecting).await {
                Ok(Ok(conn)) => conn,
                Ok(Err(e)) => {
                    let reason = describe(&e);
                    let hint = if reason.contains("invalid peer certificate") {
                        " (the endpoint that answered is not the one dialled: check the endpoint id)"
                    } else {
                        ""
                    };
                    return Err((
                        E_CONNECT,
                        format!("iroh connection to {} failed: {reason}{hint}", id.fmt_short()),
                    ));
                }
                Err(_) => {
                    return Err((
                        E_TIMEOUT,
                        format!("iroh connection to {} timed out after {timeout_ms} ms", id.fmt_short()),
                    ))
                }
            };
            Ok(insert(Object::Conn(Arc::new(ConnObj { conn, rt }))) as i64)
        });
        Ok(0)
    })
}

/// Accepts connections for the endpoint's ALPNs until the endpoint closes: one `EV_INCOMING(conn
/// handle)` per connection whose handshake succeeded (failed handshakes are dropped), then `EV_ENDED`.
#[no_mangle]
pub extern "C" fn alk_listen(ep: u64, token: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = endpoint(ep)?;
        let endpoint = obj.endpoint.clone();
        let rt = obj.handle.clone();
        spawn_loop(&obj.handle, token, async move {
            // Handshakes run side by side, so one slow peer does not hold up the others; they are joined before
            // the loop reports its end, so no connection is announced after EV_ENDED.
            let mut handshakes = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    incoming = endpoint.accept() => {
                        let Some(incoming) = incoming else { break };
                        let rt = rt.clone();
                        handshakes.spawn(async move {
                            if let Ok(Ok(conn)) = tokio::time::timeout(Duration::from_secs(30), incoming).await {
                                let handle = insert(Object::Conn(Arc::new(ConnObj { conn, rt })));
                                emit(token, EV_INCOMING, handle as i64, &[]);
                            }
                        });
                    }
                    Some(_) = handshakes.join_next(), if !handshakes.is_empty() => {}
                }
            }
            handshakes.abort_all();
            while handshakes.join_next().await.is_some() {}
            (0, "the iroh endpoint was closed".to_string())
        });
        Ok(0)
    })
}

/// Writes the peer's canonical endpoint id (NUL-terminated) to `out`.
#[no_mangle]
pub extern "C" fn alk_conn_remote_id(c: u64, out: *mut u8, cap: usize) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        write_error(out, cap, &conn(c)?.conn.remote_id().to_string());
        Ok(0)
    })
}

/// How the connection's selected path runs: 0 = no path, 1 = direct (IP), 2 = relayed.
#[no_mangle]
pub extern "C" fn alk_conn_path(c: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = conn(c)?;
        let paths = obj.conn.paths();
        let selected = paths.iter().find(|p| p.is_selected());
        Ok(match selected {
            Some(p) if p.is_ip() => 1,
            Some(p) if p.is_relay() => 2,
            Some(_) => 3,
            None => 0,
        })
    })
}

/// Serves the connection until it closes: with `accept` set, every stream the peer opens becomes an
/// `EV_INCOMING(stream handle)`; without, the peer's streams are refused. Ends with `EV_ENDED` and the
/// close reason.
#[no_mangle]
pub extern "C" fn alk_conn_serve(c: u64, accept: i32, token: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = conn(c)?;
        let connection = obj.conn.clone();
        let rt = obj.rt.clone();
        spawn_loop(&obj.rt, token, async move {
            // Each new stream's first byte is read on its own task; they are joined before the loop reports its
            // end, so no stream is announced after EV_ENDED.
            let mut preambles = tokio::task::JoinSet::new();
            let ended = loop {
                let accepted = tokio::select! {
                    accepted = connection.accept_bi() => accepted,
                    Some(_) = preambles.join_next(), if !preambles.is_empty() => continue,
                };
                match accepted {
                    Ok((send, mut recv)) => {
                        if accept == 0 {
                            let mut send = send;
                            let _ = send.reset(VarInt::from_u32(1));
                            let _ = recv.stop(VarInt::from_u32(1));
                            continue;
                        }
                        let rt = rt.clone();
                        preambles.spawn(async move {
                            let mut kind = [0u8; 1];
                            match tokio::time::timeout(Duration::from_secs(30), recv.read_exact(&mut kind)).await {
                                Ok(Ok(())) if kind[0] == STREAM_DUPLEX => {
                                    let handle = new_stream(send, recv, rt);
                                    emit(token, EV_INCOMING, handle as i64, &[]);
                                }
                                _ => {
                                    let mut send = send;
                                    let _ = send.reset(VarInt::from_u32(2));
                                    let _ = recv.stop(VarInt::from_u32(2));
                                }
                            }
                        });
                    }
                    Err(e) => break close_reason(&e),
                }
            };
            preambles.abort_all();
            while preambles.join_next().await.is_some() {}
            ended
        });
        Ok(0)
    })
}

fn close_reason(e: &iroh::endpoint::ConnectionError) -> (i64, String) {
    use iroh::endpoint::ConnectionError::*;
    match e {
        LocallyClosed => (0, "closed locally".to_string()),
        ApplicationClosed(close) if close.error_code == VarInt::from_u32(0) => (0, "closed by the peer".to_string()),
        TimedOut => (E_LOST, "the peer stopped answering (idle timeout)".to_string()),
        other => (E_LOST, describe(other)),
    }
}

/// Opens a bidirectional stream. `EV_DONE(stream handle)`.
#[no_mangle]
pub extern "C" fn alk_open_bi(c: u64, token: u64, err: *mut u8, err_cap: usize) -> i64 {
    guard(err, err_cap, || {
        let obj = conn(c)?;
        let connection = obj.conn.clone();
        let rt = obj.rt.clone();
        spawn_op(&obj.rt, token, async move {
            let (mut send, recv) = connection
                .open_bi()
                .await
                .map_err(|e| (E_LOST, format!("cannot open an iroh stream: {}", describe(&e))))?;
            send.write_all(&[STREAM_DUPLEX])
                .await
                .map_err(|e| (E_LOST, format!("cannot open an iroh stream: {}", describe(&e))))?;
            Ok(new_stream(send, recv, rt) as i64)
        });
        Ok(0)
    })
}

/// Closes the connection with an application code and reason; its streams fail.
#[no_mangle]
pub extern "C" fn alk_conn_close(c: u64, code: u32, reason: *const c_char) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let reason = text(reason, "reason")?.unwrap_or_default();
        conn(c)?.conn.close(VarInt::from_u32(code), reason.as_bytes());
        Ok(0)
    })
}

/// Frees the connection handle (the connection closes once no stream uses it).
#[no_mangle]
pub extern "C" fn alk_conn_free(c: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        conn(c)?;
        remove(c);
        Ok(0)
    })
}

// ---------------------------------------------------------------------------------------------------
// Streams

/// Registers a stream and starts its writer task; reading starts with `alk_stream_start`.
fn new_stream(send: SendStream, recv: RecvStream, rt: tokio::runtime::Handle) -> u64 {
    let (writes, rx) = mpsc::unbounded_channel();
    let (paused, _) = watch::channel(false);
    let reset = Arc::new(ResetSignal {
        code: AtomicU64::new(0),
        notify: Notify::new(),
    });
    let handle = insert(Object::Stream(Arc::new(StreamObj {
        writes,
        paused,
        stop: Arc::new(Notify::new()),
        reset: reset.clone(),
        recv: Mutex::new(Some(recv)),
        rt: rt.clone(),
    })));
    let cancelled = DropGuard {
        on_drop: Some(move || emit(handle, EV_WRITE_FAILED, E_CLOSED, b"the iroh endpoint was closed")),
    };
    rt.spawn(write_loop(handle, send, rx, reset, cancelled));
    handle
}

/// Hands queued writes to QUIC in order. `cancelled` (built before spawning) reports a task dropped by its runtime.
async fn write_loop<F: FnOnce()>(
    handle: u64,
    mut send: SendStream,
    mut rx: mpsc::UnboundedReceiver<WriteCmd>,
    reset: Arc<ResetSignal>,
    mut cancelled: DropGuard<F>,
) {
    let mut failed: Option<String> = None;
    let mut batch: Vec<bytes::Bytes> = Vec::with_capacity(WRITE_BATCH);
    loop {
        let first = tokio::select! {
            biased;
            _ = reset.notify.notified() => {
                reset_send(&mut send, &reset);
                failed.get_or_insert_with(|| "the stream was reset".to_string());
                continue;
            }
            cmd = rx.recv() => cmd,
        };
        let Some(first) = first else { break };
        // Writes already queued join this one (up to WRITE_BATCH): one QUIC call and one upcall for all of them.
        let mut finish = false;
        let mut next = Some(first);
        while let Some(cmd) = next.take() {
            match cmd {
                WriteCmd::Data(bytes) => batch.push(bytes),
                WriteCmd::Finish => {
                    finish = true;
                    break;
                }
            }
            if batch.len() < WRITE_BATCH {
                next = rx.try_recv().ok();
            }
        }
        let count = batch.len();
        if count > 0 && failed.is_none() {
            let outcome = tokio::select! {
                biased;
                _ = reset.notify.notified() => {
                    reset_send(&mut send, &reset);
                    Err("the stream was reset".to_string())
                }
                r = send.write_all_chunks(&mut batch) => r.map_err(|e| describe(&e)),
            };
            match outcome {
                Ok(()) => emit(handle, EV_WRITTEN, count as i64, &[]),
                Err(reason) => failed = Some(reason),
            }
        }
        batch.clear();
        if let Some(reason) = &failed {
            // one failure per write (and per finish), in order, so Java settles each
            for _ in 0..count + usize::from(finish) {
                emit(handle, EV_WRITE_FAILED, E_LOST, reason.as_bytes());
            }
            continue;
        }
        if finish {
            match send.finish() {
                Ok(()) => emit(handle, EV_FINISHED, 0, &[]),
                Err(e) => {
                    let reason = describe(&e);
                    emit(handle, EV_WRITE_FAILED, E_CLOSED, reason.as_bytes());
                    failed = Some(reason);
                }
            }
        }
    }
    cancelled.disarm();
}

fn reset_send(send: &mut SendStream, reset: &ResetSignal) {
    let code = VarInt::from_u64(reset.code.load(Ordering::Relaxed)).unwrap_or(VarInt::from_u32(0));
    let _ = send.reset(code);
}

/// Starts delivering the stream's data: `EV_DATA` per chunk, then `EV_EOF` or `EV_READ_FAILED`.
#[no_mangle]
pub extern "C" fn alk_stream_start(s: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = stream(s)?;
        let recv = obj
            .recv
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| (E_INVALID, "the stream was already started".to_string()))?;
        let paused = obj.paused.subscribe();
        let stop = obj.stop.clone();
        let cancelled = DropGuard {
            on_drop: Some(move || emit(s, EV_READ_FAILED, E_CLOSED, b"the iroh endpoint was closed")),
        };
        obj.rt.spawn(read_loop(s, recv, paused, stop, cancelled));
        Ok(0)
    })
}

thread_local! {
    /// Where a read gathers the chunks that arrived together (QUIC hands them over a packet at a time, ~1.4 KB):
    /// one per runtime thread, not one per stream, since the upcall that lends it to Java is synchronous.
    static GATHER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(READ_CHUNK));
}

/// Delivers the stream's data until its end. `cancelled` (built before spawning) reports a task dropped by its runtime.
async fn read_loop<F: FnOnce()>(
    handle: u64,
    mut recv: RecvStream,
    mut paused: watch::Receiver<bool>,
    stop: Arc<Notify>,
    mut cancelled: DropGuard<F>,
) {
    // what a gathering read met after its data (the end of the stream or an error): handled next round
    let mut pending: Option<Result<Option<bytes::Bytes>, iroh::endpoint::ReadError>> = None;
    loop {
        let mut stopped = false;
        while !stopped && *paused.borrow_and_update() {
            tokio::select! {
                _ = stop.notified() => stopped = true,
                changed = paused.changed() => stopped = changed.is_err(),
            }
        }
        if stopped {
            cancelled.disarm();
            emit(handle, EV_READ_STOPPED, 0, &[]);
            return;
        }
        let chunk = match pending.take() {
            Some(outcome) => outcome,
            None => tokio::select! {
                biased;
                _ = stop.notified() => {
                    cancelled.disarm();
                    emit(handle, EV_READ_STOPPED, 0, &[]);
                    return;
                }
                chunk = recv.read_chunk(READ_CHUNK) => chunk,
            },
        };
        match chunk {
            Ok(Some(first)) => {
                // Chunks already received join the first, up to 64 KiB: one upcall instead of one per packet
                // (docs/benchmarks.md). An idle stream holds no buffer.
                match recv.read_chunk(READ_CHUNK - first.len()).now_or_never() {
                    Some(Ok(Some(second))) => GATHER.with(|gather| {
                        let mut buffer = gather.borrow_mut();
                        buffer.clear();
                        buffer.extend_from_slice(&first);
                        buffer.extend_from_slice(&second);
                        while buffer.len() < READ_CHUNK {
                            match recv.read_chunk(READ_CHUNK - buffer.len()).now_or_never() {
                                Some(Ok(Some(more))) => buffer.extend_from_slice(&more),
                                Some(other) => {
                                    pending = Some(other);
                                    break;
                                }
                                None => break,
                            }
                        }
                        emit(handle, EV_DATA, 0, &buffer);
                    }),
                    Some(other) => {
                        emit(handle, EV_DATA, 0, &first);
                        pending = Some(other);
                    }
                    None => emit(handle, EV_DATA, 0, &first),
                }
            }
            Ok(None) => {
                emit(handle, EV_EOF, 0, &[]);
                break;
            }
            Err(e) => {
                let (code, reason) = match &e {
                    iroh::endpoint::ReadError::Reset(code) => (E_RESET, format!("the peer reset the stream (code {code})")),
                    iroh::endpoint::ReadError::ConnectionLost(c) => {
                        let (code, reason) = close_reason(c);
                        (if code == 0 { E_CLOSED } else { code }, format!("connection lost: {reason}"))
                    }
                    other => (E_CLOSED, describe(other)),
                };
                emit(handle, EV_READ_FAILED, code, reason.as_bytes());
                break;
            }
        }
    }
    cancelled.disarm();
}

/// Pauses (1) or resumes (0) delivering data; QUIC flow control then holds the peer back.
#[no_mangle]
pub extern "C" fn alk_stream_pause(s: u64, paused: i32) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        stream(s)?.paused.send_replace(paused != 0);
        Ok(0)
    })
}

/// Queues a copy of `len` bytes; `EV_WRITTEN` counts it once QUIC took it (in call order).
#[no_mangle]
pub extern "C" fn alk_stream_write(s: u64, data: *const u8, len: usize) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = stream(s)?;
        let bytes = if len == 0 {
            bytes::Bytes::new()
        } else {
            bytes::Bytes::copy_from_slice(unsafe { std::slice::from_raw_parts(data, len) })
        };
        obj.writes
            .send(WriteCmd::Data(bytes))
            .map_err(|_| (E_CLOSED, "the stream is closed".to_string()))?;
        Ok(0)
    })
}

/// Queues end-of-stream after the queued writes; `EV_FINISHED` once sent.
#[no_mangle]
pub extern "C" fn alk_stream_finish(s: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        stream(s)?
            .writes
            .send(WriteCmd::Finish)
            .map_err(|_| (E_CLOSED, "the stream is closed".to_string()))?;
        Ok(0)
    })
}

/// Abandons the stream at once: queued writes are dropped, the peer sees a reset, reading stops.
#[no_mangle]
pub extern "C" fn alk_stream_reset(s: u64, code: u32) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = stream(s)?;
        obj.reset.code.store(code as u64, Ordering::Relaxed);
        obj.reset.notify.notify_one();
        obj.stop.notify_one();
        if let Some(mut recv) = obj.recv.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = recv.stop(VarInt::from_u32(code));
        }
        Ok(0)
    })
}

/// Frees the stream handle. Queued writes and a queued finish still go out; reading stops.
#[no_mangle]
pub extern "C" fn alk_stream_free(s: u64) -> i64 {
    guard(std::ptr::null_mut(), 0, || {
        let obj = stream(s)?;
        remove(s);
        obj.stop.notify_one();
        Ok(0)
    })
}
