//! A hostile rule: loops for ever

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-loop", "loops for ever", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

export_rule!(Hostile);
