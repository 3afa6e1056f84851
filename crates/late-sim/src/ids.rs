//! Identifier generation: ObjectId-like resource ids, UUIDs and opaque tokens.

use std::sync::atomic::{AtomicU32, Ordering};

use rand::Rng;

use crate::time::unix_seconds;

/// Generates 24-hex-character ids shaped like MongoDB ObjectIds: a 4-byte timestamp, 5 random
/// bytes fixed per generator and a 3-byte counter, so ids sort by creation order.
#[derive(Debug)]
pub struct IdGen {
    machine: [u8; 5],
    counter: AtomicU32,
}

impl IdGen {
    /// A generator with a random machine part and counter start.
    pub fn new() -> Self {
        let mut rng = rand::rng();
        Self {
            machine: rng.random(),
            counter: AtomicU32::new(rng.random_range(0..0x0080_0000)),
        }
    }

    /// The next ObjectId-like id (24 lowercase hex characters).
    pub fn object_id(&self) -> String {
        let ts = (unix_seconds() as u32).to_be_bytes();
        let n = self.counter.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&ts);
        bytes[4..9].copy_from_slice(&self.machine);
        bytes[9..].copy_from_slice(&n.to_be_bytes()[1..]);
        hex::encode(bytes)
    }
}

impl Default for IdGen {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `s` looks like an ObjectId (24 hex characters).
pub fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A random UUID v4 in its canonical lowercase form.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut rng = rand::rng();
    let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
    hex::encode(bytes)
}

/// A random number in `lo..hi`.
pub fn random_range(lo: u64, hi: u64) -> u64 {
    rand::rng().random_range(lo..hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_24_hex_and_increase() {
        let g = IdGen::new();
        let a = g.object_id();
        let b = g.object_id();
        assert!(is_object_id(&a) && is_object_id(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
