//! The clock sign-in and sessions run on. Production reads the system time; tests hold a
//! [`ManualClock`] and move it, so idle and absolute expiry are tested without sleeping.
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Default)]
pub struct Clock(Option<ManualClock>);

impl Clock {
    pub fn system() -> Self {
        Self(None)
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(manual) => manual.now(),
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Clock(manual)"
        } else {
            "Clock(system)"
        })
    }
}

/// A clock that starts at the system time and moves only when told to.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl Default for ManualClock {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Utc::now())))
    }
}

impl ManualClock {
    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn clock(&self) -> Clock {
        Clock(Some(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let manual = ManualClock::default();
        let clock = manual.clock();
        let start = clock.now();
        assert_eq!(clock.now(), start);
        manual.advance(Duration::hours(13));
        assert_eq!(clock.now() - start, Duration::hours(13));
        assert!((Clock::system().now() - Utc::now()).num_seconds().abs() < 5);
    }
}
