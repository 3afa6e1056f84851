//! Errors cross to JS as data: a real JS `Error` whose own properties (`kind`, `status`, `code`,
//! `requestId`, `retryAfterMs`, ...) are the fields of the core error's structured form
//! (`late_core::Error::to_json`). The facade reads those fields and builds its classes; it never
//! parses a message.
//!
//! The Rust side carries a `late_core::Error` until the value reaches JS: an entry point with an
//! `Env` turns it into the JS object with [`throw`]; a promise settles through [`promise`], whose
//! [`Settled`] builds the object on the JS thread when the future ends with an error.

use std::future::Future;

use napi::bindgen_prelude::*;
use serde_json::Value;

pub(crate) use crate::settle::Pending;

/// The result of everything in this crate that can fail with a core error.
pub(crate) type CoreResult<T> = std::result::Result<T, late_core::Error>;

/// A validation error for bad options.
pub(crate) fn validation(param: &str, message: &str) -> late_core::Error {
    late_core::Error::validation(param, message)
}

/// The JS error for a core error (to return from a `#[napi]` function: napi throws it as is).
pub(crate) fn throw(env: &Env, err: late_core::Error) -> napi::Error {
    throw_data(env, &err.to_json())
}

/// The JS error for structured data `{ kind, message, ... }`: an `Error` with `message` as its
/// message and every other field as an own property. napi's own `code` (the status name) is
/// deleted, so `code` is the data's or absent.
pub(crate) fn throw_data(env: &Env, data: &Value) -> napi::Error {
    build(env, data).unwrap_or_else(|e| e)
}

fn build(env: &Env, data: &Value) -> Result<napi::Error> {
    let message = data
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("late-native error");
    let mut error = env.create_error(napi::Error::from_reason(message))?;
    error.delete_named_property("code")?;
    if let Value::Object(fields) = data {
        for (key, value) in fields {
            if key != "message" {
                error.set_named_property(key, Json(value))?;
            }
        }
    }
    // Throwing an `Error` value from a reference keeps the object (napi rethrows a referenced
    // value synchronously only when it is an Error, which this is).
    Ok(napi::Error::from_unknown_without_coercion(
        error.to_unknown(),
    ))
}

/// A JSON value converted to the JS value it denotes.
struct Json<'a>(&'a Value);

impl ToNapiValue for Json<'_> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        // SAFETY (all arms): `env` is the live env of the current call, as the caller promises.
        match val.0 {
            Value::Null => unsafe { Null::to_napi_value(env, Null) },
            Value::Bool(b) => unsafe { bool::to_napi_value(env, *b) },
            Value::Number(n) => unsafe { f64::to_napi_value(env, n.as_f64().unwrap_or(f64::NAN)) },
            Value::String(s) => unsafe { <&str>::to_napi_value(env, s.as_str()) },
            Value::Array(items) => {
                let items: Vec<Json<'_>> = items.iter().map(Json).collect();
                unsafe { Vec::to_napi_value(env, items) }
            }
            Value::Object(fields) => {
                let env = Env::from_raw(env);
                let mut object = Object::new(&env)?;
                for (key, value) in fields {
                    object.set_named_property(key, Json(value))?;
                }
                unsafe { Object::to_napi_value(env.raw(), object) }
            }
        }
    }
}

/// What a promise of this crate settles with: the value, or the core error, turned into the JS
/// error object on the JS thread as the promise rejects.
pub struct Settled<V>(CoreResult<V>);

impl<V: ToNapiValue> ToNapiValue for Settled<V> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        match val.0 {
            // SAFETY: `env` is the live env settling the promise.
            Ok(v) => unsafe { V::to_napi_value(env, v) },
            // An `Err` here rejects the promise with the referenced error object.
            Err(e) => Err(throw(&Env::from_raw(env), e)),
        }
    }
}

/// A promise of the future's value; an error rejects it with the JS error of [`throw`]. It
/// settles through the env's shared completion path ([`crate::settle`]).
pub(crate) fn promise<V, F>(env: &Env, future: F) -> Result<Pending<Settled<V>>>
where
    V: ToNapiValue + Send + 'static,
    F: Future<Output = CoreResult<V>> + Send + 'static,
{
    crate::settle::spawn(env, async move { Settled(future.await) })
}
