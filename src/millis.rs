//! Milliseconds from JS: an option's number of ms, checked, as a `Duration`.

use std::time::Duration;

use crate::errors::{validation, CoreResult};

/// `ms` as a duration (`None` stays `None`): a positive, finite number of at most 2^31 - 1 ms,
/// else a validation error naming `param`.
pub(crate) fn duration(param: &str, ms: Option<f64>) -> CoreResult<Option<Duration>> {
    match ms {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v <= 2_147_483_647.0 => {
            Ok(Some(Duration::from_secs_f64(v / 1000.0)))
        }
        Some(_) => Err(validation(
            param,
            "must be a positive, finite number of milliseconds",
        )),
    }
}
