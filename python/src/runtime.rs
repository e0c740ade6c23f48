//! The process-wide tokio runtime and SDK client, created on first use and
//! rebuilt after `fork`.
//!
//! Nothing here runs at import. The first network call builds a small
//! multi-thread runtime; a forked child sees a different pid and builds its
//! own, because the parent's worker threads do not exist in the child (the
//! old runtime is leaked, never dropped: dropping it would wait for threads
//! that are gone). The SDK client is keyed the same way, so no pooled
//! connection of the parent is reused by the child.
//!
//! Blocking calls run their future on the calling thread with the GIL
//! released, waking every [`TICK`] to let Python handle signals, so Ctrl-C
//! interrupts a call and cancels the request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use llmrelay::Client;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as AsyncRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::Runtime;

/// How often a blocking call wakes to check for Python signals.
const TICK: Duration = Duration::from_millis(50);

/// A value built for one process: rebuilt when the pid changes.
struct PerProcess<T> {
    pid: u32,
    value: T,
}

static RUNTIME: Mutex<Option<PerProcess<Arc<Runtime>>>> = Mutex::new(None);
static CLIENT: Mutex<Option<PerProcess<Client>>> = Mutex::new(None);

/// Returns the value for this process, building it (and leaking the one a
/// parent process left behind) when needed.
fn per_process<T: Clone, E>(
    slot: &Mutex<Option<PerProcess<T>>>,
    build: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let pid = std::process::id();
    let mut guard = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(current) = guard.as_ref() {
        if current.pid == pid {
            return Ok(current.value.clone());
        }
    }
    let value = build()?;
    if let Some(stale) = guard.replace(PerProcess {
        pid,
        value: value.clone(),
    }) {
        // Inherited across fork: its threads and sockets belong to the parent.
        std::mem::forget(stale);
    }
    Ok(value)
}

/// The SDK client of this process (`Client::new()` does no I/O).
pub(crate) fn client() -> Client {
    match per_process(&CLIENT, || Ok::<_, std::convert::Infallible>(Client::new())) {
        Ok(client) => client,
        Err(never) => match never {},
    }
}

/// The tokio runtime of this process, built on first use.
pub(crate) fn runtime() -> PyResult<Arc<Runtime>> {
    per_process(&RUNTIME, || {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("llmrelay-io")
            .enable_all()
            .build()
            .map(Arc::new)
    })
    .map_err(|e| PyRuntimeError::new_err(format!("cannot start the llmrelay runtime: {e}")))
}

/// Runs `fut` to completion from a Python thread: the GIL is released while
/// it runs; every [`TICK`] the thread takes the GIL back to run signal
/// handlers, and an exception there (KeyboardInterrupt) drops the future,
/// which cancels the request.
pub(crate) fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let rt = runtime()?;
    let mut fut = std::pin::pin!(fut);
    loop {
        // The timer is created inside `block_on`, where the runtime's context is set.
        let polled =
            py.detach(|| rt.block_on(async { tokio::time::timeout(TICK, fut.as_mut()).await }));
        match polled {
            Ok(output) => return Ok(output),
            Err(_elapsed) => py.check_signals()?,
        }
    }
}

/// Runs a future that needs no I/O (a `mock_response` call, a stream of
/// chunks in hand) on the calling thread without starting the runtime; if
/// it turns out to wait on something, it finishes on the runtime.
pub(crate) fn run_local<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let mut fut = Box::pin(fut);
    let mut cx = Context::from_waker(Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => block_on(py, fut),
    }
}

/// Runs `fut` inline when `local`, else on the runtime (see [`run_local`]).
pub(crate) fn run<F>(py: Python<'_>, local: bool, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    if local {
        run_local(py, fut)
    } else {
        block_on(py, fut)
    }
}

/// pyo3-async-runtimes' view of the runtime above, so awaitables returned to
/// asyncio run on the same fork-aware runtime as blocking calls.
pub(crate) struct ForkAwareTokio;

/// A task that could not be spawned because the runtime could not start.
pub(crate) struct SpawnFailed;

impl JoinError for SpawnFailed {
    fn is_panic(&self) -> bool {
        false
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        Box::new("the llmrelay runtime could not start")
    }
}

/// A spawned task, or the failure to spawn one.
pub(crate) enum Spawned {
    Task(tokio::task::JoinHandle<()>),
    Failed,
}

impl Future for Spawned {
    type Output = Result<(), SpawnFailed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Spawned::Task(handle) => Pin::new(handle)
                .poll(cx)
                .map(|r| r.map_err(|_| SpawnFailed)),
            Spawned::Failed => Poll::Ready(Err(SpawnFailed)),
        }
    }
}

impl AsyncRuntime for ForkAwareTokio {
    type JoinError = SpawnFailed;
    type JoinHandle = Spawned;

    fn spawn<F>(fut: F) -> Spawned
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match per_process_runtime() {
            Some(rt) => Spawned::Task(rt.spawn(fut)),
            None => Spawned::Failed,
        }
    }

    fn spawn_blocking<F>(f: F) -> Spawned
    where
        F: FnOnce() + Send + 'static,
    {
        match per_process_runtime() {
            Some(rt) => Spawned::Task(rt.spawn_blocking(f)),
            None => Spawned::Failed,
        }
    }
}

fn per_process_runtime() -> Option<Arc<Runtime>> {
    runtime().ok()
}

tokio::task_local! {
    static TASK_LOCALS: std::cell::OnceCell<TaskLocals>;
}

impl ContextExt for ForkAwareTokio {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = std::cell::OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|cell| cell.get().cloned())
            .unwrap_or_default()
    }
}

/// Wraps `fut` in an asyncio awaitable running on the runtime above. The
/// runtime is started here, so a failure to start it raises now.
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime()?;
    pyo3_async_runtimes::generic::future_into_py::<ForkAwareTokio, F, T>(py, fut)
}
