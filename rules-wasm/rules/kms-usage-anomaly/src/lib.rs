//! kms-usage-anomaly: no customer-managed key decrypts far more than it
//! encrypts over the window of CloudTrail's event history (seed 003).

use keyaudit_rule_sdk::cloudtrail::{self, ACTIVITY};
use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct UsageAnomaly;

impl Guest for UsageAnomaly {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-usage-anomaly".into(),
            title: "No key decrypts far more than it encrypts".into(),
            description: "Over the window of CloudTrail's event history keyaudit reads (scan.key_events_days, 30 \
                          days by default), a customer-managed key's Decrypt calls exceed ratio times its \
                          Encrypt and GenerateDataKey calls (and min_decrypts): a pattern of bulk data access. \
                          Where the history was cut at the page cap the counts are incomplete and the finding \
                          is ERROR; run examples/athena/queries/kms_usage_anomaly_org_trail.sql over the \
                          organisation trail's logs instead."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(kms::KIND, &[kms::group::ARN]), reads(ACTIVITY, &[])],
            parameters: vec![
                parameter(
                    "ratio",
                    "Decrypts per Encrypt/GenerateDataKey that count as anomalous",
                    ParamValue::Integer(10),
                ),
                parameter("min_decrypts", "Decrypts below which a key is never anomalous", ParamValue::Integer(10)),
            ],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Find who decrypts (CloudTrail: eventName Decrypt, the key's ARN in resources) and \
                          whether it is expected; narrow the key policy and grants to the callers that need it."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/ct-decrypt.html".into(),
                "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_protect_data_rest_key_mgmt.html"
                    .into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let ratio = scope.integer("ratio")?;
        let min_decrypts = scope.integer("min_decrypts")?;
        let keys = kms::list();
        let activity = cloudtrail::activity();
        Ok(kms_keys(&keys)
            .filter(|key| key.is_customer_managed() && !key.is_pending_deletion())
            .map(|key| {
                let region = key.region();
                let Some(history) = activity.iter().find(|a| a.region == region) else {
                    return key.error(format!("the event history of {region} could not be listed"));
                };
                if history.truncated {
                    return key.error(format!(
                        "the event history of {region} was cut at the page cap: counts are incomplete (raise \
                         scan.key_events_max_pages, or query the organisation trail in Athena)"
                    ));
                }
                let used = history.use_of(key.key_arn.as_deref().unwrap_or_default());
                let evidence = vec![("decrypt", used.decrypt.to_string()), ("encrypt", used.encrypt.to_string())];
                if used.decrypt >= min_decrypts && used.decrypt > ratio * used.encrypt {
                    key.fail(
                        format!("{} decrypts against {} encrypts: more than {ratio} to 1", used.decrypt, used.encrypt),
                        evidence,
                    )
                } else {
                    key.pass(format!("{} decrypts, {} encrypts", used.decrypt, used.encrypt), evidence)
                }
            })
            .collect())
    }
}

export_rule!(UsageAnomaly);
