//! Which regions to scan in an account.
//!
//! An explicit list is checked against the account's enabled regions (a
//! region that is not enabled, or not a region, gets an error row rather
//! than a scan that fails and reads as an empty region). Otherwise the account's enabled regions
//! come from EC2 `DescribeRegions` (without `AllRegions`), called with the
//! account's own credentials: it answers for that account's opt-in status,
//! works in every partition, and is allowed by the AWS-managed `SecurityAudit`
//! and `ReadOnlyAccess` policies an audit role usually has. (Account
//! Management's `ListRegions` needs an extra `account:ListRegions` grant.)

use aws_config::SdkConfig;

use crate::aws::{AwsError, AwsResultExt, RetryPolicy, with_retries};

/// The regions enabled for the account whose credentials `sdk` carries, sorted.
pub async fn enabled_regions(sdk: &SdkConfig, retry: &RetryPolicy) -> Result<Vec<String>, AwsError> {
    let client = aws_sdk_ec2::Client::new(sdk);
    let out =
        with_retries(retry, |_| async { client.describe_regions().all_regions(false).send().await.aws() }).await?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| !matches!(r.opt_in_status(), Some("not-opted-in")))
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    Ok(regions)
}
