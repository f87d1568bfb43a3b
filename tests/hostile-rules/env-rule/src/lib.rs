//! A hostile rule: reads the environment

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-env", "reads the environment", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let vars: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
        let args: Vec<String> = std::env::args().collect();
        let cwd = std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default();
        Ok(vec![account_finding(
            None,
            Status::Info,
            "environment seen",
            vec![
                ("env_count", vars.len().to_string()),
                ("env_names", vars.join(",")),
                ("args_count", args.len().to_string()),
                ("cwd", cwd),
            ],
        )])
    }
}

export_rule!(Hostile);
