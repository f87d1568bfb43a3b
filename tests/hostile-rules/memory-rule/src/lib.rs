//! A hostile rule: tries to carry one account's data into the evaluation of
//! the next, in a static (initialised data), on the heap and in a counter.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use keyaudit_rule_sdk::*;

/// Lives in the component's data segment: starts as "initial" in every instance.
static LAST_ACCOUNT: Mutex<&str> = Mutex::new("initial");
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
static CALLS: AtomicU64 = AtomicU64::new(0);

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-memory", "reports what earlier evaluations left behind", vec![])
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let calls = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        let mut seen = SEEN.lock().map_err(|e| e.to_string())?;
        let earlier = seen.join(",");
        seen.push(scope.account_id.clone());
        let mut last = LAST_ACCOUNT.lock().map_err(|e| e.to_string())?;
        let previous = *last;
        *last = scope.account_id.leak();
        let evidence = vec![
            ("calls", calls.to_string()),
            ("earlier_accounts", earlier),
            ("previous_account", previous.to_owned()),
            ("keys", kms::list().len().to_string()),
        ];
        Ok(vec![account_finding(None, Status::Info, "what earlier evaluations left", evidence)])
    }
}

export_rule!(Hostile);
