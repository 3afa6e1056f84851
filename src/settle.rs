//! Promises settled through one shared threadsafe function per env.
//!
//! napi-rs's own bridge (`AsyncBlockBuilder` → `JsDeferred`) creates a threadsafe function per
//! promise: a libuv async handle opened and closed per call, an env cleanup hook added and
//! removed, and a wake-up of the event loop per completion. Here a call creates only the promise
//! (`napi_create_promise`, cheap, on the JS thread) and spawns its future on napi-rs's Tokio
//! runtime; the future's value goes into the env's [`Channel`], and the env's one threadsafe
//! function, created lazily the first time the env needs it, settles every completion queued so
//! far on the JS thread: a burst of completions costs one wake-up.
//!
//! Liveness: the threadsafe function keeps the event loop alive exactly while calls are in
//! flight. It is referenced when the count of calls in flight goes from 0 to 1 (at a call, on the
//! JS thread) and unreferenced when it returns to 0 (after settling, on the JS thread), so an
//! idle process exits by itself and one waiting for a call does not.
//!
//! Teardown: the env's end (process exit, a worker terminated with calls in flight) finalizes the
//! threadsafe function; its finalizer closes the channel under the channel's lock, so a future
//! that ends later drops its value instead of reaching a freed threadsafe function, and the
//! promises left unsettled go with the env.

use std::cell::RefCell;
use std::ffi::c_void;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::FutureExt;
use napi::bindgen_prelude::*;

/// The JS value of a promise made by [`spawn`]; `T` is what it settles with.
pub struct Pending<T> {
    promise: sys::napi_value,
    _settles_with: PhantomData<fn() -> T>,
}

impl<T> ToNapiValue for Pending<T> {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        Ok(val.promise)
    }
}

/// A promise of the future's value, converted to JS on the JS thread. A panic in the future
/// rejects the promise (as napi-rs's bridge does) instead of leaving it pending.
pub(crate) fn spawn<T, F>(env: &Env, future: F) -> Result<Pending<T>>
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let (channel, tsfn) = channel(env)?;
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: `env` is the live env of the current call (we are on its JS thread); both out
    // pointers point to locals.
    check_status!(
        unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) },
        "could not create a promise"
    )?;
    if channel.in_flight.fetch_add(1, Ordering::Relaxed) == 0 {
        // SAFETY: JS thread of `env`; `tsfn` is the env's threadsafe function, alive until its
        // finalizer, which also removes it from the table `channel` found it in.
        let status = unsafe { sys::napi_ref_threadsafe_function(env.raw(), tsfn.0) };
        debug_assert_eq!(status, sys::Status::napi_ok);
    }
    let completion = Completion {
        channel,
        deferred: Some(Deferred(deferred)),
    };
    // Boxed here, once: a call's future is several KB, and each layer of the spawn below would
    // otherwise move it by value (memcpy) again.
    let future = Box::pin(future);
    napi::bindgen_prelude::spawn(async move {
        let settle: Settle = match AssertUnwindSafe(future).catch_unwind().await {
            // SAFETY (the closure): it runs on the JS thread with the env's live `env`.
            Ok(value) => Box::new(move |env| unsafe { T::to_napi_value(env, value) }),
            Err(panic) => Box::new(move |_| Err(panicked(panic))),
        };
        completion.send(settle);
    });
    Ok(Pending {
        promise,
        _settles_with: PhantomData,
    })
}

/// The rejection for a future that panicked (napi-rs's wording for a payload without text).
fn panicked(panic: Box<dyn std::any::Any + Send>) -> Error {
    let message = match panic.downcast::<&'static str>() {
        Ok(s) => (*s).to_owned(),
        Err(panic) => match panic.downcast::<String>() {
            Ok(s) => *s,
            Err(_) => "Panic in async function".to_owned(),
        },
    };
    Error::new(Status::GenericFailure, message)
}

/// Converts a result to JS and returns it, or the error to reject with.
type Settle = Box<dyn FnOnce(sys::napi_env) -> Result<sys::napi_value> + Send>;

/// A promise's deferred, to settle on the JS thread of the env that made it.
struct Deferred(sys::napi_deferred);

// SAFETY: the pointer is only carried by other threads, never used there: it is settled on the
// JS thread (`call_js`) or dropped unused with its env (`finalize`).
unsafe impl Send for Deferred {}

/// The env's threadsafe function.
#[derive(Clone, Copy)]
struct Tsfn(sys::napi_threadsafe_function);

// SAFETY: a threadsafe function is made to be called from any thread; the only calls made off the
// JS thread are `napi_call_threadsafe_function` under the channel's lock while it is open.
unsafe impl Send for Tsfn {}

/// One call in flight: settles its promise once, with a value or, if it is dropped unsent (its
/// task dropped by a runtime shutdown), with an error, so the count of calls in flight stays
/// true.
struct Completion {
    channel: Arc<Channel>,
    deferred: Option<Deferred>,
}

impl Completion {
    fn send(mut self, settle: Settle) {
        if let Some(deferred) = self.deferred.take() {
            self.channel.send(deferred, settle);
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if let Some(deferred) = self.deferred.take() {
            let error = Error::new(Status::Cancelled, "the call was dropped before it finished");
            self.channel.send(deferred, Box::new(move |_| Err(error)));
        }
    }
}

/// Completions on their way to the JS thread of one env.
struct Channel {
    state: Mutex<State>,
    /// Calls made and not settled yet. Only the JS thread changes it (an atomic only because the
    /// channel is shared with the runtime's threads).
    in_flight: AtomicUsize,
}

struct State {
    /// `None` once the threadsafe function is finalized (the env is going away).
    tsfn: Option<Tsfn>,
    queue: Vec<(Deferred, Settle)>,
    /// A call of the threadsafe function is pending: the queue will be drained without another.
    woken: bool,
}

impl Channel {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics under the lock; a poisoned state is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a completion; wakes the JS thread unless a wake-up is already pending.
    fn send(&self, deferred: Deferred, settle: Settle) {
        let mut state = self.lock();
        let Some(tsfn) = state.tsfn else {
            // The env is gone, and its promises with it.
            drop(state);
            drop((deferred, settle));
            return;
        };
        state.queue.push((deferred, settle));
        if !state.woken {
            // SAFETY: the threadsafe function is open: its finalizer closes the state under this
            // lock before Node frees it, and we hold the lock across the call.
            let status = unsafe {
                sys::napi_call_threadsafe_function(
                    tsfn.0,
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
            // A failed call (the env closing) leaves the queue to the finalizer.
            state.woken = status == sys::Status::napi_ok;
        }
    }
}

/// One entry per env whose threadsafe function exists, on that env's JS thread.
struct Entry {
    env: sys::napi_env,
    channel: Arc<Channel>,
    tsfn: Tsfn,
}

thread_local! {
    /// The envs of this thread (one, unless an embedder runs several on one thread).
    static ENVS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The env's channel and threadsafe function, made the first time the env needs them.
fn channel(env: &Env) -> Result<(Arc<Channel>, Tsfn)> {
    let raw = env.raw();
    let found = ENVS.with(|envs| {
        envs.borrow()
            .iter()
            .find(|e| e.env == raw)
            .map(|e| (e.channel.clone(), e.tsfn))
    });
    if let Some(found) = found {
        return Ok(found);
    }
    let channel = Arc::new(Channel {
        state: Mutex::new(State {
            tsfn: None,
            queue: Vec::new(),
            woken: false,
        }),
        in_flight: AtomicUsize::new(0),
    });
    let name = env.create_string("late-native settle")?;
    // The threadsafe function's reference to the channel: `context` of `call_js`, freed by
    // `finalize` (its `finalize_data`).
    let context = Arc::into_raw(channel.clone()) as *mut c_void;
    let mut tsfn = ptr::null_mut();
    // SAFETY: JS thread of the live `env`; no JS function (`call_js` settles by itself); the
    // callbacks match napi's signatures and `context` stays valid until `finalize` frees it.
    let status = unsafe {
        sys::napi_create_threadsafe_function(
            raw,
            ptr::null_mut(),
            ptr::null_mut(),
            name.raw(),
            0,
            1,
            context,
            Some(finalize),
            context,
            Some(call_js),
            &mut tsfn,
        )
    };
    if status != sys::Status::napi_ok {
        // SAFETY: napi did not take `context`; this is the reference made above.
        drop(unsafe { Arc::from_raw(context as *const Channel) });
        return Err(Error::new(
            Status::from(status),
            "could not create the threadsafe function that settles promises",
        ));
    }
    // Idle, it must not keep the process alive.
    // SAFETY: JS thread of `env`; `tsfn` was just created.
    unsafe { sys::napi_unref_threadsafe_function(raw, tsfn) };
    let tsfn = Tsfn(tsfn);
    channel.lock().tsfn = Some(tsfn);
    ENVS.with(|envs| {
        envs.borrow_mut().push(Entry {
            env: raw,
            channel: channel.clone(),
            tsfn,
        })
    });
    Ok((channel, tsfn))
}

/// Settles every completion queued so far (JS thread). `env` is null when Node drains the
/// threadsafe function's own queue at teardown, after `finalize`: nothing to do then (and
/// `context` is already freed).
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() || context.is_null() {
        return;
    }
    // SAFETY: with a live env, `finalize` has not run, so the reference `context` holds is alive.
    let channel = unsafe { &*(context as *const Channel) };
    let (batch, tsfn) = {
        let mut state = channel.lock();
        state.woken = false;
        (std::mem::take(&mut state.queue), state.tsfn)
    };
    let settled = batch.len();
    for (deferred, settle) in batch {
        // A panic must not unwind into Node; the promise then rejects.
        let settled = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: JS thread of the live `env` that created `deferred`, settled only here.
            unsafe { settle_one(env, deferred.0, settle) }
        }));
        if let Err(panic) = settled {
            // SAFETY: as above; the deferred was not settled (its conversion panicked).
            unsafe { reject(env, deferred.0, panicked(panic)) };
        }
    }
    let before = channel.in_flight.fetch_sub(settled, Ordering::Relaxed);
    if before == settled {
        if let Some(tsfn) = tsfn {
            // SAFETY: JS thread of `env`; the threadsafe function is not finalized (we are in
            // its callback with a live env).
            unsafe { sys::napi_unref_threadsafe_function(env, tsfn.0) };
        }
    }
}

/// Converts one result in a handle scope of its own and settles its promise.
///
/// # Safety
/// JS thread of the live `env` that created `deferred`, which is not settled yet.
unsafe fn settle_one(env: sys::napi_env, deferred: sys::napi_deferred, settle: Settle) {
    let mut scope = ptr::null_mut();
    // SAFETY: JS thread of the live `env`.
    let opened = unsafe { sys::napi_open_handle_scope(env, &mut scope) } == sys::Status::napi_ok;
    match settle(env) {
        // SAFETY: the caller's contract; `value` belongs to this env.
        Ok(value) => unsafe {
            sys::napi_resolve_deferred(env, deferred, value);
        },
        // SAFETY: the caller's contract.
        Err(e) => unsafe { reject(env, deferred, e) },
    }
    if opened {
        // SAFETY: the scope opened above, closed once.
        unsafe { sys::napi_close_handle_scope(env, scope) };
    }
}

/// Rejects with the error's JS value (the referenced value of a JS error, as napi-rs's bridge
/// does), or with the exception a failed conversion left pending.
///
/// # Safety
/// JS thread of the live `env` that created `deferred`, which is not settled yet.
unsafe fn reject(env: sys::napi_env, deferred: sys::napi_deferred, error: Error) {
    let mut pending = false;
    let mut value = ptr::null_mut();
    // SAFETY: JS thread of the live `env`; out pointers to locals.
    unsafe {
        sys::napi_is_exception_pending(env, &mut pending);
        if pending {
            sys::napi_get_and_clear_last_exception(env, &mut value);
        }
    }
    if value.is_null() {
        // SAFETY: JS thread of the live `env`.
        match unsafe { Error::to_napi_value(env, error) } {
            Ok(v) => value = v,
            Err(_) => return,
        }
    }
    // SAFETY: the caller's contract; `value` belongs to this env.
    unsafe { sys::napi_reject_deferred(env, deferred, value) };
}

/// The threadsafe function's finalizer (JS thread, at the env's teardown): closes the channel,
/// drops what is queued (the promises go with their env) and forgets the env.
unsafe extern "C" fn finalize(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the reference `channel` gave the threadsafe function; Node calls the
    // finalizer once, and `call_js` never runs with a live env after it.
    let channel = unsafe { Arc::from_raw(data as *const Channel) };
    let queued = {
        let mut state = channel.lock();
        state.tsfn = None;
        std::mem::take(&mut state.queue)
    };
    drop(queued);
    let _ = ENVS.try_with(|envs| {
        if let Ok(mut envs) = envs.try_borrow_mut() {
            envs.retain(|e| e.env != env && !Arc::ptr_eq(&e.channel, &channel));
        }
    });
}
