//! A hostile rule: recurses until its stack overflows.

use keyaudit_rule_sdk::*;

struct Hostile;

#[inline(never)]
#[allow(unconditional_recursion)]
fn deeper(n: u64, pad: &mut [u8; 256]) -> u64 {
    pad[(n % 256) as usize] = n as u8;
    std::hint::black_box(deeper(n + 1, std::hint::black_box(&mut [0u8; 256])) + pad[0] as u64)
}

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-stack", "overflows its stack", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let depth = deeper(0, &mut [0u8; 256]);
        Ok(vec![account_finding(None, Status::Pass, format!("reached {depth}"), vec![])])
    }
}

export_rule!(Hostile);
