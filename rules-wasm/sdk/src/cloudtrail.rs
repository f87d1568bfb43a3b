//! CloudTrail helpers (kinds "cloudtrail-trail", contract 0.3.1, and
//! "cloudtrail-key-activity", contract 0.3.2).
//!
//! A trail is listed once in every region it applies to: a multi-Region
//! trail, or an organisation trail seen from a member account, is a shadow
//! everywhere but its home region and account. Judge a trail's own settings
//! where [`CloudtrailTrail::is_home`] holds, and a region's coverage from
//! every trail listed there.

use crate::CloudtrailTrail;
use crate::items::{Item, Listed};

/// The resource kind of trails.
pub const KIND: &str = "cloudtrail-trail";

/// The optional field groups of a trail.
pub mod group {
    /// `GetTrailStatus`: `logging`, `latest_delivery`, `latest_delivery_error`.
    pub const STATUS: &str = "status";
    /// `GetEventSelectors`: `management_events`, `kms_events_logged`.
    pub const EVENT_SELECTORS: &str = "event-selectors";
}

impl Listed for CloudtrailTrail {
    const KIND: &'static str = KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::cloudtrail_trail::list()
    }
}

/// The account's trails, once per scanned region each applies to.
pub fn list() -> Vec<CloudtrailTrail> {
    CloudtrailTrail::list()
}

/// A trail with its position.
pub type TrailItem<'a> = Item<'a, CloudtrailTrail>;

impl CloudtrailTrail {
    /// The account that owns the trail (the fifth field of its ARN).
    pub fn owner(&self) -> &str {
        self.arn.split(':').nth(4).unwrap_or("")
    }

    /// This record is the trail itself (its home region, in the account that
    /// owns it), not a shadow of it; unknown home regions count as not.
    pub fn is_home(&self, account_id: &str) -> bool {
        self.owner() == account_id && self.home_region.as_deref() == Some(self.region.as_str())
    }

    /// Its log files are encrypted with a KMS key (SSE-KMS).
    pub fn is_kms_encrypted(&self) -> bool {
        self.kms_key_id.as_deref().is_some_and(|k| !k.is_empty())
    }

    /// The record of this trail in its home region, among `all` (from
    /// [`list`]): where its status and event selectors are. `None` when the
    /// home region was not scanned.
    pub fn home<'a>(&self, all: &'a [CloudtrailTrail]) -> Option<&'a CloudtrailTrail> {
        let home = self.home_region.as_deref()?;
        all.iter().find(|t| t.arn == self.arn && t.region == home)
    }

    /// Records every management event, KMS's included, and is logging.
    /// `None` when the `status` or `event-selectors` group is unknown (on
    /// a shadow record they always are: ask its [`home`](Self::home)).
    pub fn audits_key_management(&self) -> Option<bool> {
        let logging = self.logging?;
        let all = self.management_events.as_deref()? == "All";
        Some(logging && all && self.kms_events_logged?)
    }
}

/// The kind of a region's KMS activity from CloudTrail's event history (contract 0.3.2).
pub const ACTIVITY: &str = "cloudtrail-key-activity";

impl Listed for crate::CloudtrailKeyActivity {
    const KIND: &'static str = ACTIVITY;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::cloudtrail_key_activity::list()
    }
}

/// The account's KMS activity, one record per scanned region whose event
/// history could be read.
pub fn activity() -> Vec<crate::CloudtrailKeyActivity> {
    crate::CloudtrailKeyActivity::list()
}

impl crate::CloudtrailKeyActivity {
    /// How `key_arn` was used in the window; all zeros when it was not.
    pub fn use_of(&self, key_arn: &str) -> crate::KeyUseCount {
        self.usage.iter().find(|u| u.key_arn == key_arn).cloned().unwrap_or(crate::KeyUseCount {
            key_arn: key_arn.to_owned(),
            decrypt: 0,
            encrypt: 0,
            re_encrypt: 0,
        })
    }
}
