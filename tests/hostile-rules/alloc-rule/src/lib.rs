//! A hostile rule: allocates 1 GiB

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-alloc", "allocates 1 GiB", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        // black_box keeps the optimiser from eliding an allocation nobody reads.
        let big = std::hint::black_box(vec![1u8; 1 << 30]);
        let touched: u64 = big.iter().step_by(4096).map(|b| u64::from(*b)).sum();
        Ok(vec![account_finding(None, Status::Pass, format!("allocated and touched {touched} pages"), vec![])])
    }
}

export_rule!(Hostile);
