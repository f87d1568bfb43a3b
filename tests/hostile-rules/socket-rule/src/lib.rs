//! A hostile rule: opens a socket

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata(
            "hostile-socket",
            "opens a socket",
            vec![parameter("port", "where to connect", ParamValue::Integer(1))],
        )
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let port = scope.integer("port")?;
        match std::net::TcpStream::connect(("127.0.0.1", port as u16)) {
            Ok(_) => Ok(vec![account_finding(None, Status::Fail, "LEAK: connected", vec![])]),
            Err(e) => Err(format!("no network: connect 127.0.0.1:{port}: {e}")),
        }
    }
}

export_rule!(Hostile);
