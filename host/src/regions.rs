//! Which regions to scan in an account.
//!
//! An explicit list is used as given. Otherwise the account's enabled regions
//! come from EC2 `DescribeRegions` (without `AllRegions`), called with the
//! account's own credentials: it answers for that account's opt-in status,
//! works in every partition, and is allowed by the AWS-managed `SecurityAudit`
//! and `ReadOnlyAccess` policies an audit role usually has. (Account
//! Management's `ListRegions` needs an extra `account:ListRegions` grant.)

use aws_config::SdkConfig;

use crate::aws::{AwsError, AwsResultExt};

/// The regions enabled for the account whose credentials `sdk` carries, sorted.
pub async fn enabled_regions(sdk: &SdkConfig) -> Result<Vec<String>, AwsError> {
    let out = aws_sdk_ec2::Client::new(sdk).describe_regions().all_regions(false).send().await.aws()?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| !matches!(r.opt_in_status(), Some("not-opted-in")))
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    Ok(regions)
}
