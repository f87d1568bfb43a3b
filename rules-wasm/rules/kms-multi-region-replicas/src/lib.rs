//! kms-multi-region-replicas: multi-Region keys are usable everywhere and rotate.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct MultiRegionReplicas;

impl Guest for MultiRegionReplicas {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-multi-region-replicas".into(),
            title: "Multi-Region KMS keys are enabled in every region and rotate".into(),
            description: "A multi-Region primary key is Enabled, has automatic rotation on, and every replica in a \
                          scanned region is Enabled; a replica whose primary was scanned is judged with it, and \
                          one whose primary was not is judged alone."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(kms::KIND, &[kms::group::MULTI_REGION, kms::group::ARN])],
            parameters: vec![],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01 (disaster recovery)")],
            remediation: "Enable the primary and its replicas (aws kms enable-key in each region) and turn on \
                          rotation on the primary (aws kms enable-key-rotation)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let all: Vec<Key> = kms_keys(&resources).collect();
        let keys: Vec<Key> = all.iter().copied().filter(|k| k.multi_region && k.is_customer_managed()).collect();
        // Any key, described or not: a replica that could not be described is
        // still there.
        let by_arn = |arn: &str| all.iter().find(|k| k.arn() == arn).copied();
        let is_primary = |k: &KmsKey| k.multi_region_primary_arn() == Some(k.arn());
        let region_of = |arn: &str| arn.split(':').nth(3).unwrap_or_default().to_owned();
        let mut findings = Vec::new();
        for &key in &keys {
            let mut problems = Vec::new();
            // What could not be read: any of it makes the verdict ERROR.
            let mut unknown = Vec::new();
            if is_primary(&key) {
                if !key.is_enabled() {
                    problems.push(format!("the primary is {}", key.state()));
                }
                if key.rotation_enabled != Some(true) {
                    problems.push("rotation is off on the primary".to_owned());
                }
                for replica_arn in key.multi_region_replica_arns() {
                    let region = region_of(replica_arn);
                    match by_arn(replica_arn) {
                        Some(replica) if !replica.is_described() => {
                            unknown.push(format!("the replica in {region} could not be described"))
                        }
                        Some(replica) if !replica.is_enabled() => {
                            problems.push(format!("replica in {} is {}", replica.region(), replica.state()))
                        }
                        Some(_) => {}
                        None if scope.kms_keys_listed(&region) => {
                            problems.push(format!("replica {replica_arn} was not found"))
                        }
                        None if scope.regions.contains(&region) => {
                            unknown.push(format!("the keys of {region} could not be listed"))
                        }
                        None => {}
                    }
                }
            } else {
                let primary_arn = key.multi_region_primary_arn().unwrap_or_default();
                if by_arn(primary_arn).is_some() {
                    continue;
                }
                let primary_region = region_of(primary_arn);
                if scope.regions.contains(&primary_region) && !scope.kms_keys_listed(&primary_region) {
                    unknown.push(format!("the keys of {primary_region}, where its primary is, could not be listed"));
                }
                if !key.is_enabled() {
                    problems.push(format!("the replica is {}", key.state()));
                }
            }
            let evidence = vec![("replicas", key.multi_region_replica_arns().len().to_string())];
            findings.push(if !unknown.is_empty() {
                key_finding(key, Status::Error, format!("cannot tell: {}", unknown.join("; ")), evidence)
            } else if problems.is_empty() {
                key_finding(key, Status::Pass, "enabled in every region, rotation on", evidence)
            } else {
                key_finding(key, Status::Fail, problems.join("; "), evidence)
            });
        }
        Ok(findings)
    }
}

export_rule!(MultiRegionReplicas);
