//! A hostile rule: tries to read files

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-files", "tries to read files", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let passwd = std::fs::read_to_string("/etc/passwd");
        let root = std::fs::read_dir("/").map(|d| d.count());
        let cwd = std::fs::read_dir(".").map(|d| d.count());
        match (passwd, root, cwd) {
            (Err(a), Err(b), Err(c)) => Err(format!("no filesystem: read /etc/passwd: {a}; list /: {b}; list .: {c}")),
            (a, b, c) => Ok(vec![account_finding(
                None,
                Status::Fail,
                format!("LEAK {:?} {:?} {:?}", a.map(|s| s.len()), b, c),
                vec![],
            )]),
        }
    }
}

export_rule!(Hostile);
