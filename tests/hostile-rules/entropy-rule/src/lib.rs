//! A hostile rule: tries to make its result vary from run to run with the
//! wall clock, the monotonic clock and random numbers.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-entropy", "reports the clock and random numbers it sees", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let started = Instant::now();
        let wall_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        // RandomState draws its keys from wasi:random.
        let hash = RandomState::new().hash_one("same input");
        let mut spins: u64 = 0;
        for _ in 0..100_000 {
            spins = std::hint::black_box(spins + 1);
        }
        let elapsed_ns = started.elapsed().as_nanos();
        let evidence = vec![
            ("wall_ms", wall_ms.to_string()),
            ("hash", hash.to_string()),
            ("elapsed_ns", elapsed_ns.to_string()),
            ("spins", spins.to_string()),
        ];
        Ok(vec![account_finding(None, Status::Info, "what the sandbox let me see", evidence)])
    }
}

export_rule!(Hostile);
