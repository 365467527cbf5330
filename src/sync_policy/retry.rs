//! When a failed request is tried again: exponential backoff with full jitter, honouring
//! `Retry-After`, and never a blind retry of a write.
//!
//! - Reads (`GET`) are retried on network errors, timeouts and 429/500/502/503/504.
//! - `POST` is retried on the same outcomes only when it carries an `Idempotency-Key` (the server
//!   then answers a repeat with the first result instead of creating twice).
//! - `PUT` and `DELETE` carry `If-Match`, so a repeat cannot overwrite anything newer, but a lost
//!   answer could still have been applied: they are retried only on 429 and 503, which say the
//!   request was not processed.

use chrono::{DateTime, Utc};

/// The HTTP methods the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// An HTTP answer with this status.
    Status(u16),
    /// No answer at all (connection refused or reset, DNS, CORS).
    Network,
    /// No answer within the time limit.
    Timeout,
}

/// Limits of the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// The backoff ceiling of the first retry; doubled for each further one.
    pub base_ms: u64,
    /// No backoff is longer than this.
    pub cap_ms: u64,
    /// A `Retry-After` longer than this is not waited for: the error is shown instead.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_ms: 500,
            cap_ms: 8_000,
            max_retry_after_ms: 60_000,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Try again after this many milliseconds.
    RetryAfter(u64),
    /// Stop and report the outcome.
    GiveUp,
}

/// Whether `attempt` is worth repeating for `method` at all (ignoring the attempt count).
pub fn retryable(method: Method, has_idempotency_key: bool, attempt: Attempt) -> bool {
    let transient = matches!(
        attempt,
        Attempt::Network | Attempt::Timeout | Attempt::Status(429 | 500 | 502 | 503 | 504)
    );
    match method {
        Method::Get => transient,
        Method::Post => has_idempotency_key && transient,
        Method::Put | Method::Delete => matches!(attempt, Attempt::Status(429 | 503)),
    }
}

impl RetryPolicy {
    /// The decision after attempt number `attempts_done` (1 for the first) ended in `attempt`.
    /// `retry_after_ms` is the answer's `Retry-After` as read by [`parse_retry_after`], and
    /// `random` a uniform number in `[0, 1)` for the jitter.
    pub fn decide(
        &self,
        method: Method,
        has_idempotency_key: bool,
        attempts_done: u32,
        attempt: Attempt,
        retry_after_ms: Option<u64>,
        random: f64,
    ) -> Decision {
        if attempts_done >= self.max_attempts || !retryable(method, has_idempotency_key, attempt) {
            return Decision::GiveUp;
        }
        if let Some(wait) = retry_after_ms {
            return if wait <= self.max_retry_after_ms {
                Decision::RetryAfter(wait)
            } else {
                Decision::GiveUp
            };
        }
        Decision::RetryAfter(self.backoff_ms(attempts_done, random))
    }

    /// Full jitter: a uniform wait in `[0, min(cap, base × 2^(n−1))]` before retry `n`.
    pub fn backoff_ms(&self, attempts_done: u32, random: f64) -> u64 {
        let exponent = attempts_done.saturating_sub(1).min(30);
        let ceiling = self
            .base_ms
            .saturating_mul(1u64 << exponent)
            .min(self.cap_ms);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (ceiling as f64 * random).round() as u64
    }
}

/// `Retry-After` in milliseconds from `now`: delay-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`). A date in the past means "now" (0).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    let ms = (date.with_timezone(&Utc) - now).num_milliseconds();
    Some(ms.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0)
            .single()
            .expect("valid")
    }

    fn decide(method: Method, key: bool, done: u32, attempt: Attempt) -> Decision {
        RetryPolicy::default().decide(method, key, done, attempt, None, 0.5)
    }

    #[test]
    fn reads_retry_on_transient_failures_only() {
        for attempt in [
            Attempt::Network,
            Attempt::Timeout,
            Attempt::Status(429),
            Attempt::Status(500),
            Attempt::Status(502),
            Attempt::Status(503),
            Attempt::Status(504),
        ] {
            assert!(
                matches!(
                    decide(Method::Get, false, 1, attempt),
                    Decision::RetryAfter(_)
                ),
                "{attempt:?}"
            );
        }
        for status in [400, 401, 403, 404, 409, 412, 422, 428, 501] {
            assert_eq!(
                decide(Method::Get, false, 1, Attempt::Status(status)),
                Decision::GiveUp,
                "{status}"
            );
        }
    }

    #[test]
    fn post_retries_only_with_an_idempotency_key() {
        for attempt in [Attempt::Network, Attempt::Timeout, Attempt::Status(500)] {
            assert_eq!(decide(Method::Post, false, 1, attempt), Decision::GiveUp);
            assert!(matches!(
                decide(Method::Post, true, 1, attempt),
                Decision::RetryAfter(_)
            ));
        }
    }

    #[test]
    fn put_and_delete_retry_only_when_the_server_says_it_did_nothing() {
        for method in [Method::Put, Method::Delete] {
            for attempt in [Attempt::Status(429), Attempt::Status(503)] {
                assert!(matches!(
                    decide(method, true, 1, attempt),
                    Decision::RetryAfter(_)
                ));
            }
            for attempt in [
                Attempt::Network,
                Attempt::Timeout,
                Attempt::Status(500),
                Attempt::Status(502),
                Attempt::Status(504),
                Attempt::Status(412),
            ] {
                assert_eq!(
                    decide(method, true, 1, attempt),
                    Decision::GiveUp,
                    "{attempt:?}"
                );
            }
        }
    }

    #[test]
    fn attempts_are_limited() {
        let policy = RetryPolicy::default();
        assert!(matches!(
            decide(
                Method::Get,
                false,
                policy.max_attempts - 1,
                Attempt::Timeout
            ),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            decide(Method::Get, false, policy.max_attempts, Attempt::Timeout),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_grows_exponentially_under_a_cap_with_full_jitter() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff_ms(1, 0.999_999), 500);
        assert_eq!(policy.backoff_ms(2, 0.999_999), 1000);
        assert_eq!(policy.backoff_ms(3, 0.999_999), 2000);
        assert_eq!(policy.backoff_ms(10, 0.999_999), 8000);
        assert_eq!(policy.backoff_ms(100, 0.999_999), 8000);
        assert_eq!(policy.backoff_ms(3, 0.0), 0);
        assert_eq!(policy.backoff_ms(3, 0.25), 500);
        assert_eq!(policy.backoff_ms(3, f64::NAN), 0);
        assert_eq!(policy.backoff_ms(3, 7.0), 2000);
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_and_as_a_date() {
        let policy = RetryPolicy::default();
        let get = |value: &str| {
            policy.decide(
                Method::Get,
                false,
                1,
                Attempt::Status(429),
                parse_retry_after(value, now()),
                0.0,
            )
        };
        assert_eq!(get("2"), Decision::RetryAfter(2000));
        assert_eq!(
            get("Mon, 07 Dec 2026 12:00:05 GMT"),
            Decision::RetryAfter(5000)
        );
        assert_eq!(
            get("Mon, 07 Dec 2026 11:00:00 GMT"),
            Decision::RetryAfter(0)
        );
        // Too long to wait for: the user gets the message (and a "Try again") instead.
        assert_eq!(get("3600"), Decision::GiveUp);
        // Unreadable: plain backoff.
        assert_eq!(get("soon"), Decision::RetryAfter(0));
        assert_eq!(parse_retry_after(" 7 ", now()), Some(7000));
        assert_eq!(parse_retry_after("-1", now()), None);
    }

    #[test]
    fn retry_after_does_not_make_a_write_retryable() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(Method::Put, false, 1, Attempt::Status(500), Some(1000), 0.0),
            Decision::GiveUp
        );
    }
}
