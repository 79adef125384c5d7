//! Throttling of expensive reads (search), kept in this instance's memory.
//!
//! Writes are throttled in Postgres (see the module above), so that every instance sees the
//! same counts and a refused post counts nothing. A read needs neither, and counting it in
//! Postgres made every search a write that waits for the disk. Here each person has a budget
//! that refills steadily (the generic cell rate algorithm, from the `governor` crate): `max`
//! at once, then one more every `window / max`. With several instances each allows the full
//! rate: the aim is that no one floods the database, not an exact count.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::Limit;
use crate::error::AppError;

/// How often (in checks) people whose budget is full again are forgotten.
const FORGET_EVERY: u64 = 4096;

pub struct ReadLimiter {
    limiter: DefaultKeyedRateLimiter<i64>,
    checks: AtomicU64,
}

impl std::fmt::Debug for ReadLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadLimiter").field("people", &self.limiter.len()).finish()
    }
}

impl ReadLimiter {
    pub fn new(limit: Limit) -> Self {
        let max = NonZeroU32::new(limit.max.max(1) as u32).unwrap_or(NonZeroU32::MIN);
        let refill = Duration::from_secs(limit.window_secs.max(1) as u64) / max.get();
        let quota = Quota::with_period(refill.max(Duration::from_nanos(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(max);
        Self { limiter: RateLimiter::keyed(quota), checks: AtomicU64::new(0) }
    }

    /// Counts one read by `user_id`; refused (with the wait, in `what`'s words) when their
    /// budget is spent.
    pub fn check(&self, user_id: i64, what: &str) -> Result<(), AppError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&user_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::rate_limited(what, wait.as_secs().max(1))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_per_person_that_refills() {
        let limiter = ReadLimiter::new(Limit::new(3, 600));
        for _ in 0..3 {
            limiter.check(1, "Slow down.").unwrap();
        }
        let refused = limiter.check(1, "Slow down.").unwrap_err();
        assert_eq!(refused.status(), 429);
        // One more every 200 s: the wait is worded in minutes.
        assert!(refused.to_string().starts_with("Slow down. You can try again in "), "{refused}");
        limiter.check(2, "Slow down.").expect("someone else has a budget of their own");
    }

    #[test]
    fn huge_multipliers_do_not_overflow() {
        let limiter = ReadLimiter::new(Limit::new(60, 600).scaled(100_000_000));
        for _ in 0..10_000 {
            limiter.check(1, "Slow down.").unwrap();
        }
    }
}
