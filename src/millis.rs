//! Numbers of the options from JS: the one owner of their ranges (the facade checks only that
//! they are numbers). Each helper takes an option's value as the JS number it was, and returns
//! it checked, or a validation error naming `param`.

use std::time::Duration;

use crate::errors::{validation, CoreResult};

/// Largest number of milliseconds the timers take (2^31 - 1, about 24.8 days).
pub(crate) const MAX_MS: f64 = 2_147_483_647.0;
/// Most retries a call may make after its first attempt.
pub(crate) const MAX_RETRIES: f64 = 1000.0;
/// Largest byte limit: the largest integer a JS number holds exactly (2^53 - 1).
pub(crate) const MAX_BYTES: f64 = 9_007_199_254_740_991.0;

/// `ms` as a duration (`None` stays `None`): a positive, finite number of at most 2^31 - 1 ms.
pub(crate) fn duration(param: &str, ms: Option<f64>) -> CoreResult<Option<Duration>> {
    match ms {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v <= MAX_MS => {
            Ok(Some(Duration::from_secs_f64(v / 1000.0)))
        }
        Some(_) => Err(validation(
            param,
            "expected a positive finite number of milliseconds up to 2147483647",
        )),
    }
}

/// A bound on a wait, like [`duration`], that may also be `Infinity`: no bound, which is the
/// longest wait the timers take (2^31 - 1 ms).
pub(crate) fn wait_bound(param: &str, ms: Option<f64>) -> CoreResult<Option<Duration>> {
    match ms {
        Some(v) if v == f64::INFINITY => duration(param, Some(MAX_MS)),
        Some(v) if !(v.is_finite() && v > 0.0 && v <= MAX_MS) => Err(validation(
            param,
            "expected a positive number of milliseconds up to 2147483647, or Infinity",
        )),
        other => duration(param, other),
    }
}

/// A number of retries after the first attempt: an integer from 0 to 1000.
pub(crate) fn retries(param: &str, n: Option<f64>) -> CoreResult<Option<u32>> {
    match n {
        None => Ok(None),
        Some(v) if v.is_finite() && v.fract() == 0.0 && (0.0..=MAX_RETRIES).contains(&v) => {
            Ok(Some(v as u32))
        }
        Some(_) => Err(validation(param, "expected an integer from 0 to 1000")),
    }
}

/// A limit in bytes: a positive finite number of at most 2^53 - 1 (a fraction rounds down).
pub(crate) fn bytes(param: &str, n: Option<f64>) -> CoreResult<Option<usize>> {
    match n {
        None => Ok(None),
        Some(v) if v.is_finite() && (1.0..=MAX_BYTES).contains(&v) => {
            Ok(Some(usize::try_from(v as u64).unwrap_or(usize::MAX)))
        }
        Some(_) => Err(validation(
            param,
            "expected a positive number of bytes up to 9007199254740991",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(r: CoreResult<impl std::fmt::Debug>, param: &str) {
        match r.expect_err("out of range") {
            late_core::Error::Validation { param: p, .. } => assert_eq!(p, param),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn durations_are_positive_finite_and_fit_the_timers() {
        assert_eq!(duration("timeoutMs", None).ok(), Some(None));
        assert_eq!(
            duration("timeoutMs", Some(1500.0)).ok(),
            Some(Some(Duration::from_millis(1500)))
        );
        for v in [0.0, -1.0, f64::NAN, f64::INFINITY, MAX_MS + 1.0] {
            names(duration("timeoutMs", Some(v)), "timeoutMs");
        }
    }

    #[test]
    fn a_wait_bound_may_be_infinity() {
        assert_eq!(
            wait_bound("maxQueueWaitMs", Some(f64::INFINITY)).ok(),
            Some(Some(Duration::from_millis(MAX_MS as u64)))
        );
        assert_eq!(
            wait_bound("maxQueueWaitMs", Some(10.0)).ok(),
            Some(Some(Duration::from_millis(10)))
        );
        for v in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY, MAX_MS + 1.0] {
            names(wait_bound("maxQueueWaitMs", Some(v)), "maxQueueWaitMs");
        }
    }

    #[test]
    fn retries_are_integers_from_0_to_1000() {
        assert_eq!(retries("maxRetries", Some(0.0)).ok(), Some(Some(0)));
        assert_eq!(retries("maxRetries", Some(1000.0)).ok(), Some(Some(1000)));
        for v in [-1.0, 1.5, 1001.0, f64::NAN, f64::INFINITY, 4_294_967_296.0] {
            names(retries("maxRetries", Some(v)), "maxRetries");
        }
    }

    #[test]
    fn byte_limits_are_positive_and_exact_in_js() {
        assert_eq!(
            bytes("maxResponseBytes", Some(1000.0)).ok(),
            Some(Some(1000))
        );
        for v in [0.0, -1.0, 0.5, f64::NAN, f64::INFINITY, MAX_BYTES + 2.0] {
            names(bytes("maxResponseBytes", Some(v)), "maxResponseBytes");
        }
    }
}
