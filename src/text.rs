//! Response bodies as JS strings, copied once.

use napi::bindgen_prelude::*;

/// A UTF-8 body on its way to JS. An all-ASCII body (JSON almost always is) becomes a one-byte
/// V8 string through `napi_create_string_latin1`, a plain copy; anything else goes through the
/// UTF-8 decoder. Either way the bytes are copied once, on the JS thread.
pub struct BodyText(pub bytes::Bytes);

impl ToNapiValue for BodyText {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let bytes = val.0;
        let mut out = std::ptr::null_mut();
        let ptr = bytes.as_ptr().cast();
        let len = bytes.len() as isize;
        // Checked again here (cheap, word at a time) rather than carried as a flag: the
        // conversion must be sound whatever built the value.
        let status = if bytes.is_ascii() {
            // SAFETY: `env` is valid (caller's contract); `ptr`/`len` describe live bytes that
            // outlive the call; Node copies them into the new string.
            unsafe { sys::napi_create_string_latin1(env, ptr, len, &mut out) }
        } else {
            // SAFETY: as above; the transport only hands over bodies it decoded losslessly or
            // repaired, so they are valid UTF-8.
            unsafe { sys::napi_create_string_utf8(env, ptr, len, &mut out) }
        };
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::from(status),
                "could not create the response string".to_owned(),
            ));
        }
        Ok(out)
    }
}

/// The body with invalid UTF-8 sequences replaced (a malformed answer must not crash the decode).
pub fn body(bytes: bytes::Bytes) -> BodyText {
    if bytes.is_ascii() || std::str::from_utf8(&bytes).is_ok() {
        return BodyText(bytes);
    }
    BodyText(bytes::Bytes::from(
        String::from_utf8_lossy(&bytes).into_owned(),
    ))
}

/// The body as a Rust `String` (for object fields), without a second copy when it is valid
/// UTF-8; invalid sequences are replaced.
pub fn string(bytes: bytes::Bytes) -> String {
    match String::from_utf8(Vec::from(bytes)) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}
