//! Reading parameters from the scope. The host fills in every declared
//! parameter (defaults included) with the declared type, so a missing or
//! mistyped parameter is a host bug and comes back as an error.

use crate::{AccountScope, ParamValue};

impl AccountScope {
    fn param(&self, name: &str) -> Result<&ParamValue, String> {
        self.parameters.iter().find(|(n, _)| n == name).map(|(_, v)| v).ok_or(format!("parameter {name} is missing"))
    }

    /// An integer parameter.
    pub fn integer(&self, name: &str) -> Result<i64, String> {
        match self.param(name)? {
            ParamValue::Integer(v) => Ok(*v),
            _ => Err(format!("parameter {name} is not an integer")),
        }
    }

    /// A text parameter.
    pub fn text(&self, name: &str) -> Result<&str, String> {
        match self.param(name)? {
            ParamValue::Text(v) => Ok(v),
            _ => Err(format!("parameter {name} is not text")),
        }
    }

    /// A list-of-text parameter.
    pub fn text_list(&self, name: &str) -> Result<&[String], String> {
        match self.param(name)? {
            ParamValue::TextList(v) => Ok(v),
            _ => Err(format!("parameter {name} is not a list of text")),
        }
    }

    /// True if `account_id` belongs to the audited organisation (asked of the host).
    pub fn in_organisation(&self, account_id: &str) -> bool {
        crate::keyaudit::rules::organisation::is_member(account_id)
    }

    /// True if every resource of `kind` in `region` was listed (asked of the
    /// host); account-level kinds such as IAM's live in region "global".
    pub fn listed(&self, kind: &str, region: &str) -> bool {
        crate::keyaudit::rules::collection::listed(kind, region)
    }

    /// The scanned regions where `kind` could not all be listed.
    pub fn unlisted_regions(&self, kind: &str) -> Vec<&str> {
        self.regions.iter().map(String::as_str).filter(|r| !self.listed(kind, r)).collect()
    }

    /// True if every KMS key of `region` was listed (asked of the host):
    /// false where the listing failed or the region was not scanned, so a
    /// key missing there may exist and its absence decides nothing.
    pub fn kms_keys_listed(&self, region: &str) -> bool {
        crate::keyaudit::rules::collection::listed(crate::kms::KIND, region)
    }

    /// The scanned regions whose KMS keys could not all be listed.
    pub fn kms_regions_unlisted(&self) -> Vec<&str> {
        self.regions.iter().map(String::as_str).filter(|r| !self.kms_keys_listed(r)).collect()
    }
}
