//! A hostile rule: sleeps for an hour at a time, for ever. Sleeping is a
//! blocking host call, outside wasm code, where epoch interruption cannot
//! reach: the sandbox must not let it block.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-sleep", "sleeps for an hour at a time, for ever", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

export_rule!(Hostile);
