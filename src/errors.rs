//! Errors cross to JS as JSON text in the rejection message; the facade turns them into classes.

/// Converts a core error into a napi error whose message is the error's JSON form.
pub(crate) fn to_napi(err: late_core::Error) -> napi::Error {
    napi::Error::from_reason(err.to_json().to_string())
}

/// A validation error for bad options, in the same JSON form.
pub(crate) fn validation(param: &str, message: &str) -> napi::Error {
    to_napi(late_core::Error::validation(param, message))
}
