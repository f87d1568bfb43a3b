//! A hostile rule: prints and sleeps in `metadata()` (blocking WASI calls
//! while keyaudit loads rules), then behaves.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        println!("hello from metadata");
        eprintln!("and from its stderr");
        std::thread::sleep(std::time::Duration::from_secs(3600));
        hostile_common::metadata("hostile-metaprint", "prints and sleeps while loading", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok(kms_keys(&resources).map(|key| key_finding(key, Status::Pass, "loaded despite printing", vec![])).collect())
    }
}

export_rule!(Hostile);
