//! AWS Config helpers (kinds "config-rule", "config-recorder" and
//! "config-conformance-pack", contract 0.3.2).

use crate::items::Listed;
use crate::{ConfigConformancePack, ConfigRecorder, ConfigRule};

/// The kind of Config rules.
pub const RULE: &str = "config-rule";
/// The kind of configuration recorders.
pub const RECORDER: &str = "config-recorder";
/// The kind of conformance packs.
pub const CONFORMANCE_PACK: &str = "config-conformance-pack";

/// The optional field groups of a Config rule.
pub mod group {
    /// `DescribeComplianceByConfigRule`: `compliance`.
    pub const COMPLIANCE: &str = "compliance";
}

/// The managed rules that watch key management (seed 000, step 8).
pub const KEY_MANAGEMENT_RULES: [&str; 4] = [
    "CMK_BACKING_KEY_ROTATION_ENABLED",
    "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
    "ACM_CERTIFICATE_EXPIRATION_CHECK",
    "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
];

impl Listed for ConfigRule {
    const KIND: &'static str = RULE;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::config_rule::list()
    }
}

impl Listed for ConfigRecorder {
    const KIND: &'static str = RECORDER;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::config_recorder::list()
    }
}

impl Listed for ConfigConformancePack {
    const KIND: &'static str = CONFORMANCE_PACK;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::config_conformance_pack::list()
    }
}

/// The account's Config rules (every scanned region).
pub fn rules() -> Vec<ConfigRule> {
    ConfigRule::list()
}

/// The account's configuration recorders (every scanned region).
pub fn recorders() -> Vec<ConfigRecorder> {
    ConfigRecorder::list()
}

impl ConfigRule {
    /// Whether it evaluates resources: `ACTIVE` or `EVALUATING`; `None` when
    /// the state is unknown.
    pub fn is_active(&self) -> Option<bool> {
        self.state.as_deref().map(|s| matches!(s, "ACTIVE" | "EVALUATING"))
    }
}

/// Whether a recorder of `region` among `recorders` is recording: `None`
/// when none is known to, and one's status is unknown.
pub fn recording_in(recorders: &[ConfigRecorder], region: &str) -> Option<bool> {
    let here: Vec<&ConfigRecorder> = recorders.iter().filter(|r| r.region == region).collect();
    if here.iter().any(|r| r.recording == Some(true)) {
        Some(true)
    } else if here.iter().any(|r| r.recording.is_none()) {
        None
    } else {
        Some(false)
    }
}
