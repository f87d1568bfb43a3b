//! Host bindings of the rule contract, one module per supported WIT version.
//! A new version gets a new module; the previous one stays so rules built
//! against it keep running.

/// `keyaudit:rules@0.1.0` (`wit/legacy/v0.1`): every key field as a string,
/// copied into every call.
pub mod v0_1 {
    wasmtime::component::bindgen!({
        path: "../wit/legacy/v0.1",
        world: "rule-component",
    });

    pub use self::exports::keyaudit::rules::rule::*;
}

/// `keyaudit:rules@0.2.0` (`wit/legacy/v0.2`): KMS keys only; records
/// passed to rules borrow the host's inventory, so only what a rule asks for
/// is copied, once, into the rule's memory.
pub mod v0_2 {
    wasmtime::component::bindgen!({
        path: "../wit/legacy/v0.2",
        world: "rule-component",
        ownership: Borrowing { duplicate_if_necessary: true },
    });

    pub use self::exports::keyaudit::rules::rule::ParamValueResult as ParamValue;
    pub use self::exports::keyaudit::rules::rule::*;
    pub use self::keyaudit::rules::{collection, organisation};
}

/// `keyaudit:rules@0.3.0` (`wit/`): one interface per resource kind, whose
/// `list` a rule calls for the kinds it reads. Each kind's folder implements
/// its interface's `Host` trait (`kinds/<kind>/rules.rs`); a call for a kind
/// the rule did not declare traps.
pub mod v0_3 {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "rule-component",
        imports: { default: trappable },
    });

    pub use self::keyaudit::rules::types::*;
    pub use self::keyaudit::rules::{collection, organisation};

    /// The contract's version, as its interfaces' names spell it. Rules
    /// built against an earlier 0.3.x link to it by semver-compatible names.
    pub const VERSION: &str = "0.3.2";
}

/// The export name a component must have to be a 0.1 rule.
pub const RULE_INTERFACE_V0_1: &str = "keyaudit:rules/rule@0.1.0";
/// The export name a component must have to be a 0.2 rule.
pub const RULE_INTERFACE_V0_2: &str = "keyaudit:rules/rule@0.2.0";
/// The export name of a 0.3 rule built against this host's 0.3.x.
pub const RULE_INTERFACE_V0_3: &str = "keyaudit:rules/rule@0.3.2";
/// What the export name of a rule built against any 0.3.x starts with.
pub const RULE_INTERFACE_V0_3_ANY: &str = "keyaudit:rules/rule@0.3.";
