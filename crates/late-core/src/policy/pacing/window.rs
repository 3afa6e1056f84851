//! The sliding window kept in memory: this client's calls, booked, in flight and done, so that
//! no span of `window + margin` holds more than `limit` of the requests the server counts.
//!
//! Calls book a slot instead of polling: [`Window::book`] returns the earliest time the call may
//! go and records it at once, so a burst becomes a queue of known waits (and a wait longer than
//! allowed fails at once). A booking is an estimate made from booking times; when its time
//! comes, [`Window::blocked`] checks it against what is known then: a request leaves the
//! server's window at most `window` after it arrived, and it arrived before its answer, so a
//! call's slot is free only `span` after its answer (never while it is in flight). A burst on
//! fresh connections arrives late; this check keeps it from drawing 429s a window later.
//! The Redis script (`acquire.lua`) books the same way for the whole fleet.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Who booked a slot: a call of this client, or a request the server counted that this client
/// did not send ([`Window::absorb`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    /// A call, by its booking number.
    Call(u64),
    /// Seen in `X-RateLimit-Remaining` only.
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// When the call may go (bookings are sorted by it: the queue's order).
    at: Instant,
    holder: Holder,
    /// When its answer came (or the call ended without one). Requests of others count as done
    /// at `at`.
    done: Option<Instant>,
}

impl Slot {
    /// When it surely left the server's window; `None` while in flight or still to go.
    fn leaves(&self, span: Duration) -> Option<Instant> {
        match self.holder {
            Holder::Other => Some(self.at + span),
            Holder::Call(_) => self.done.map(|d| d.max(self.at) + span),
        }
    }

    /// When it should leave, as far as can be told now (for booking ahead).
    fn expected_to_leave(&self, span: Duration) -> Instant {
        self.leaves(span).unwrap_or(self.at + span)
    }
}

/// What a call whose time has come should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    /// Send now.
    Go,
    /// Too many requests may still count: look again at this time, or when a call ends
    /// (`None`: only then).
    Wait(Option<Instant>),
}

/// Bookings sorted by time.
#[derive(Debug, Default)]
pub(crate) struct Window {
    slots: VecDeque<Slot>,
}

impl Window {
    /// Forgets what surely left the span.
    fn prune(&mut self, now: Instant, span: Duration) {
        self.slots
            .retain(|s| s.leaves(span).is_none_or(|t| t > now));
    }

    /// The earliest time a new booking may take: not before `now`, not before the newest
    /// booking (first come, first served), and not before enough bookings are expected to have
    /// left the span that fewer than `limit` remain.
    pub fn next_slot(&mut self, now: Instant, limit: u32, span: Duration) -> Instant {
        self.prune(now, span);
        let mut at = now;
        if let Some(last) = self.slots.back() {
            at = at.max(last.at);
        }
        let limit = limit.max(1) as usize;
        let n = self.slots.len();
        if n >= limit {
            let mut leaving: Vec<Instant> = self
                .slots
                .iter()
                .map(|s| s.expected_to_leave(span))
                .collect();
            let (_, kth, _) = leaving.select_nth_unstable(n - limit);
            at = at.max(*kth);
        }
        at
    }

    /// Books `at` for `holder` (from [`Window::next_slot`], or a time the shared window chose).
    pub fn insert(&mut self, at: Instant, holder: Holder) {
        let pos = self.slots.partition_point(|s| s.at <= at);
        let done = matches!(holder, Holder::Other).then_some(at);
        self.slots.insert(pos, Slot { at, holder, done });
    }

    /// Books the next slot for call `id` unless the wait would exceed `max_wait`; returns the
    /// slot, or the wait that was too long.
    pub fn book(
        &mut self,
        now: Instant,
        limit: u32,
        span: Duration,
        max_wait: Duration,
        id: u64,
    ) -> Result<Instant, Duration> {
        let at = self.next_slot(now, limit, span);
        let wait = at - now;
        if wait > max_wait {
            return Err(wait);
        }
        self.insert(at, Holder::Call(id));
        Ok(at)
    }

    fn position(&self, id: u64) -> Option<usize> {
        self.slots.iter().position(|s| s.holder == Holder::Call(id))
    }

    /// Cancels the booking of call `id` (a call cancelled while it waited).
    pub fn remove(&mut self, id: u64) {
        if let Some(pos) = self.position(id) {
            self.slots.remove(pos);
        }
    }

    /// Call `id` got its answer (or ended without one) at `now`; returns its booked time.
    pub fn done(&mut self, id: u64, now: Instant) -> Option<Instant> {
        let pos = self.position(id)?;
        self.slots[pos].done = Some(now);
        Some(self.slots[pos].at)
    }

    /// Whether call `id`, whose booked time has come, may go: fewer than `limit` of the
    /// requests booked before it may still be in the server's window.
    pub fn check(&mut self, id: u64, now: Instant, limit: u32, span: Duration) -> Check {
        self.prune(now, span);
        let Some(pos) = self.position(id) else {
            return Check::Go;
        };
        if pos < limit.max(1) as usize {
            return Check::Go;
        }
        // Everything ahead still counts (pruning removed what left): wait for the first of
        // them to leave.
        let next = self
            .slots
            .iter()
            .take(pos)
            .filter_map(|s| s.leaves(span))
            .min();
        Check::Wait(next)
    }

    /// Bookings whose time has come and that may still count at the server: what it should be
    /// counting of this client now.
    pub fn started(&mut self, now: Instant, span: Duration) -> usize {
        self.prune(now, span);
        self.slots.iter().take_while(|s| s.at <= now).count()
    }

    /// Accounts for requests the server counted that this window does not know of (another
    /// process on the same key, or this one before a restart): `used` is the server's
    /// `limit - remaining`. They are booked so that they leave the span spread between
    /// `first_free` (the server's `X-RateLimit-Reset`, when plausible) and a whole window from
    /// now. Returns how many were added.
    pub fn absorb(
        &mut self,
        now: Instant,
        used: u32,
        window: Duration,
        span: Duration,
        first_free: Option<Instant>,
    ) -> u32 {
        let known = self.started(now, span) as u32;
        let missing = used.saturating_sub(known);
        if missing == 0 {
            return 0;
        }
        let last_free = now + window;
        // With a plausible reset the first leaves then; else they leave evenly until a window
        // from now.
        let (first, offset) = match first_free.filter(|t| *t >= now && *t <= last_free) {
            Some(t) => (t, 0),
            None => (now, 1),
        };
        let step = (last_free - first) / missing;
        for i in 0..missing {
            let leaves = first + step * (i + offset);
            let at = leaves.checked_sub(span).unwrap_or(now).min(now);
            self.insert(at, Holder::Other);
        }
        missing
    }

    /// Call bookings in the span with their age (negative: still to come), to replay them into
    /// the shared window when it is back.
    pub fn calls(&mut self, now: Instant, span: Duration) -> Vec<(u64, i64)> {
        self.prune(now, span);
        self.slots
            .iter()
            .filter_map(|s| match s.holder {
                Holder::Call(id) => Some((
                    id,
                    if s.at <= now {
                        (now - s.at).as_millis() as i64
                    } else {
                        -((s.at - now).as_millis() as i64)
                    },
                )),
                Holder::Other => None,
            })
            .collect()
    }

    /// How many bookings are in the span.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Duration = Duration::from_millis(1000);
    const SPAN: Duration = Duration::from_millis(1010);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// No span of SPAN holds more than `limit` bookings.
    fn assert_within(w: &Window, limit: usize) {
        let times: Vec<Instant> = w.slots.iter().map(|s| s.at).collect();
        for (i, t) in times.iter().enumerate() {
            let n = times[i..].iter().take_while(|u| **u < *t + SPAN).count();
            assert!(n <= limit, "{n} bookings within one span");
        }
    }

    #[test]
    fn a_burst_becomes_a_queue_of_known_waits() {
        let now = Instant::now();
        let mut w = Window::default();
        let mut waits = Vec::new();
        for id in 0..250 {
            let at = w.book(now, 100, SPAN, ms(60_000), id).unwrap();
            waits.push((at - now).as_millis());
        }
        assert_eq!(waits[..100], vec![0; 100][..]);
        assert_eq!(waits[100..200], vec![1010; 100][..]);
        assert_eq!(waits[200..], vec![2020; 50][..]);
        assert_within(&w, 100);
    }

    #[test]
    fn a_wait_past_the_cap_books_nothing() {
        let now = Instant::now();
        let mut w = Window::default();
        for id in 0..2 {
            w.book(now, 2, SPAN, ms(500), id).unwrap();
        }
        assert_eq!(w.book(now, 2, SPAN, ms(500), 9), Err(SPAN));
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn a_cancelled_booking_frees_its_slot() {
        let now = Instant::now();
        let mut w = Window::default();
        w.book(now, 1, SPAN, ms(5000), 1).unwrap();
        let second = w.book(now, 1, SPAN, ms(5000), 2).unwrap();
        assert_eq!(second - now, SPAN);
        w.remove(2);
        w.remove(1);
        assert_eq!(w.book(now, 1, SPAN, ms(5000), 3).unwrap(), now);
    }

    #[test]
    fn a_slot_is_free_a_span_after_the_answer_not_the_booking() {
        let t0 = Instant::now();
        let mut w = Window::default();
        w.book(t0, 1, SPAN, ms(0), 1).unwrap();
        let second = w.book(t0, 1, SPAN, ms(5000), 2).unwrap();
        assert_eq!(second, t0 + SPAN);
        // In flight: the second call may not go when its booked time comes.
        assert_eq!(w.check(2, second, 1, SPAN), Check::Wait(None));
        // The first answer came 40 ms after it was sent: the slot frees 40 ms later.
        w.done(1, t0 + ms(40));
        assert_eq!(
            w.check(2, second, 1, SPAN),
            Check::Wait(Some(t0 + ms(40) + SPAN))
        );
        assert_eq!(w.check(2, t0 + ms(40) + SPAN, 1, SPAN), Check::Go);
        // The first ones in line never wait for others.
        assert_eq!(w.check(2, t0, 1, SPAN), Check::Go);
    }

    #[test]
    fn booking_ahead_uses_answers_when_known() {
        let t0 = Instant::now();
        let mut w = Window::default();
        for id in 0..3 {
            w.book(t0 + ms(100 * id), 3, SPAN, ms(0), id).unwrap();
            w.done(id, t0 + ms(100 * id + 5));
        }
        assert_eq!(w.next_slot(t0 + ms(300), 3, SPAN), t0 + ms(5) + SPAN);
        assert_eq!(w.started(t0 + ms(5) + SPAN + ms(150), SPAN), 1);
    }

    #[test]
    fn absorb_books_what_the_server_counted_elsewhere() {
        let now = Instant::now();
        let mut w = Window::default();
        w.book(now, 10, SPAN, ms(0), 1).unwrap();
        // The server counts 6 in its window; this client knows of 1.
        assert_eq!(w.absorb(now, 6, W, SPAN, Some(now + ms(200))), 5);
        assert_eq!(w.absorb(now, 6, W, SPAN, Some(now + ms(200))), 0);
        assert_within(&w, 10);
        // 6 of 10 used: 4 more go now, the next when the first absorbed one leaves.
        for id in 2..6 {
            assert_eq!(w.book(now, 10, SPAN, ms(0), id), Ok(now));
        }
        let next = w.next_slot(now, 10, SPAN);
        assert!(next > now && next <= now + W, "{:?}", next - now);
        // Calls are replayed with their age; absorbed requests are not.
        assert_eq!(w.calls(now, SPAN).len(), 5);
    }

    #[test]
    fn absorb_with_an_implausible_reset_spreads_over_the_window() {
        let now = Instant::now();
        let mut w = Window::default();
        assert_eq!(w.absorb(now, 4, W, SPAN, Some(now + ms(3_600_000))), 4);
        // Leaving at +250, +500, +750 and +1000 ms.
        assert_eq!(w.next_slot(now, 4, SPAN), now + ms(250));
        assert_eq!(w.started(now, SPAN), 4);
    }
}
