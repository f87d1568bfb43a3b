//! Host bindings of the rule contract, one module per supported WIT version.
//! A new version gets a new module; the old one stays for one version so
//! rules built against it keep running.

/// `keyaudit:rules@0.1.0`.
pub mod v0_1 {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "rule-component",
    });

    pub use exports::keyaudit::rules::rule::*;
}

/// The export name a component must have to be a 0.1 rule.
pub const RULE_INTERFACE_V0_1: &str = "keyaudit:rules/rule@0.1.0";
