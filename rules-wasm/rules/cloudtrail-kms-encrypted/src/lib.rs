//! cloudtrail-kms-encrypted: every trail's log files are encrypted with a KMS key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct KmsEncrypted;

impl Guest for KmsEncrypted {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "cloudtrail-kms-encrypted".into(),
            title: "CloudTrail logs are encrypted with a KMS key".into(),
            description: "Every trail encrypts its log files with a KMS key (SSE-KMS), not only with S3's \
                          own keys, so that reading the audit trail needs kms:Decrypt on a key you control. \
                          Each trail is judged once, in its home region and account."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(cloudtrail::KIND, &[])],
            parameters: vec![],
            frameworks: vec![
                maps_to(CIS, "3.5 (v3-v5)"),
                maps_to(CIS, "3.7 (v1.4-v2)"),
                maps_to(SECURITY_HUB, "CloudTrail.2"),
            ],
            remediation: "aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn> (the key policy must \
                          let cloudtrail.amazonaws.com encrypt)"
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html"
                    .into(),
                "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let trails = cloudtrail::list();
        let own = items(&trails).filter(|trail| trail.owner() == scope.account_id);
        Ok(own
            .filter_map(|trail| {
                if trail.home_region.is_none() {
                    // Whether it is the trail itself or a shadow of it is unknown.
                    return Some(trail.error("the trail's home region is unknown"));
                }
                if !trail.is_home(&scope.account_id) {
                    return None;
                }
                Some(match &trail.kms_key_id {
                    Some(key) if trail.is_kms_encrypted() => {
                        trail.pass("log files are encrypted with a KMS key", vec![("kms_key_id", key.clone())])
                    }
                    _ => trail.fail("log files are encrypted with S3-managed keys only (no KMS key)", vec![]),
                })
            })
            .collect())
    }
}

export_rule!(KmsEncrypted);
