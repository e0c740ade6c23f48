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
//!
//! At interpreter exit the runtime is shut down from an `atexit` hook
//! (registered when the runtime is built), while Python is still whole: a
//! worker thread that touched Python after finalization began (completing
//! an asyncio future whose loop is gone, releasing a reference) would make
//! CPython end that thread mid-frame, which aborts or crashes the process.
//! After the hook, calls raise instead of starting a new runtime.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use llmrelay::Client;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as AsyncRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::{Handle, Runtime};

/// How often a blocking call wakes to check for Python signals.
const TICK: Duration = Duration::from_millis(50);

/// A value built for one process: rebuilt when the pid changes.
struct PerProcess<T> {
    pid: u32,
    value: T,
}

static RUNTIME: Mutex<Option<PerProcess<Runtime>>> = Mutex::new(None);

/// Set by the exit hook: no runtime is started after it.
static EXITING: AtomicBool = AtomicBool::new(false);

/// How long the exit hook lets the runtime's tasks wind down.
const EXIT_GRACE: Duration = Duration::from_millis(250);
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

/// A handle on the tokio runtime of this process, built on first use.
pub(crate) fn runtime() -> PyResult<Handle> {
    if EXITING.load(Ordering::Acquire) {
        return Err(PyRuntimeError::new_err(
            "the interpreter is exiting: llmrelay's runtime has shut down",
        ));
    }
    let pid = std::process::id();
    let mut guard = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(current) = guard.as_ref().filter(|r| r.pid == pid) {
        return Ok(current.value.handle().clone());
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let built = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("llmrelay-io")
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the llmrelay runtime: {e}")))?;
    let handle = built.handle().clone();
    if let Some(stale) = guard.replace(PerProcess { pid, value: built }) {
        // Inherited across fork: its threads belong to the parent.
        std::mem::forget(stale);
    }
    drop(guard);
    Python::attach(register_exit_hook)?;
    Ok(handle)
}

/// Registers [`shutdown_at_exit`] with `atexit` (once per process that
/// builds a runtime; a second registration in a forked child is harmless).
fn register_exit_hook(py: Python<'_>) -> PyResult<()> {
    let hook = wrap_pyfunction!(shutdown_at_exit, py)?;
    py.import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}

/// The `atexit` hook: stops the runtime while Python can still serve its
/// worker threads (the GIL is released while they wind down).
#[pyfunction]
pub(crate) fn shutdown_at_exit(py: Python<'_>) {
    EXITING.store(true, Ordering::Release);
    let taken = RUNTIME.lock().unwrap_or_else(|p| p.into_inner()).take();
    let Some(runtime) = taken else {
        return;
    };
    if runtime.pid == std::process::id() {
        py.detach(|| runtime.value.shutdown_timeout(EXIT_GRACE));
    } else {
        // A parent's runtime, inherited across fork: its threads are not ours.
        std::mem::forget(runtime);
    }
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

fn per_process_runtime() -> Option<Handle> {
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
