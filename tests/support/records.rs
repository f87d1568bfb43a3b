//! Records of each kind as the collectors would build them, for rule tests
//! through the real WebAssembly host: a sound resource by default, changed
//! by the caller into the case under test.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use keyaudit::inventory::{Account, ListingGap};
use keyaudit::kinds::acm_certificate::AcmCertificate;
use keyaudit::kinds::cloudformation_stack::CloudFormationStack;
use keyaudit::kinds::cloudtrail_key_activity::CloudTrailKeyActivity;
use keyaudit::kinds::cloudtrail_trail::CloudTrailTrail;
use keyaudit::kinds::config_recorder::ConfigRecorder;
use keyaudit::kinds::config_rule::ConfigRule;
use keyaudit::kinds::organization::{Organization, OrganizationRoot, PolicyTypeStatus};
use keyaudit::kinds::secret::Secret;
use keyaudit::kinds::service_control_policy::{PolicyTarget, ServiceControlPolicy};
use keyaudit::kinds::ssm_parameter::SsmParameter;
use keyaudit::kinds::{Inventory, Record};
use keyaudit::rules::{AccountInput, RuleEngine, Status};

pub const ACCOUNT: &str = "111111111111";
/// When the test evaluations happen.
pub const NOW: i64 = 1_800_000_000_000;
pub const DAY: i64 = 86_400_000;

/// The account rule tests evaluate: `ACCOUNT`, at the root of `o-test`.
pub fn test_account() -> Account {
    Account {
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        ou_id_path: "r-1".into(),
        org_id: "o-test".into(),
    }
}

/// Each resource's verdict by the last segment of its ARN; a resource without a finding is absent.
pub fn verdicts<R: Record>(engine: &RuleEngine, records: Vec<R>) -> BTreeMap<String, Status> {
    verdicts_over(engine, Inventory::from_records(records), &[])
}

/// [`verdicts`] over an inventory of several kinds, with listing gaps.
pub fn verdicts_over(engine: &RuleEngine, inventory: Inventory, gaps: &[ListingGap]) -> BTreeMap<String, Status> {
    let account = test_account();
    let findings = evaluate_over(engine, &account, inventory, gaps);
    let mut out = BTreeMap::new();
    for finding in findings {
        let id = finding.resource_id.clone().expect("every finding of these rules names its resource");
        let name = id.rsplit(['/', ':']).next().unwrap().to_owned();
        assert!(out.insert(name, finding.status).is_none(), "one finding per resource: {finding:?}");
    }
    out
}

/// Every finding of `engine`'s rules over `inventory` (organisation-level
/// kinds given as the run's shared records) for `account`.
pub fn evaluate_over(
    engine: &RuleEngine,
    account: &Account,
    mut inventory: Inventory,
    gaps: &[ListingGap],
) -> Vec<keyaudit::rules::RuleFinding> {
    let organisation = Arc::new(BTreeSet::from([ACCOUNT.to_owned()]));
    let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];
    let shared = Arc::new(inventory.take_organisation_level());
    let inventory = Arc::new(inventory);
    engine.evaluate(&AccountInput {
        account,
        organisation: &organisation,
        regions: &regions,
        inventory: &inventory,
        shared: &shared,
        gaps,
        evaluated_at: NOW,
    })
}

pub fn certificate(name: &str, change: impl FnOnce(&mut AcmCertificate)) -> AcmCertificate {
    let mut c = AcmCertificate {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        certificate_arn: format!("arn:aws:acm:us-east-1:{ACCOUNT}:certificate/{name}"),
        domain_name: Some(format!("{name}.example.com")),
        subject_alternative_names: Some(vec![]),
        status: Some("ISSUED".into()),
        certificate_type: Some("AMAZON_ISSUED".into()),
        issuer: Some("Amazon".into()),
        serial: None,
        not_before: Some(NOW - 30 * DAY),
        not_after: Some(NOW + 200 * DAY),
        key_algorithm: Some("RSA_2048".into()),
        signature_algorithm: Some("SHA256WITHRSA".into()),
        in_use_by: Some(vec![]),
        renewal_eligibility: Some("ELIGIBLE".into()),
        renewal_status: None,
        renewal_status_reason: None,
        transparency_logging: Some("ENABLED".into()),
        validation_methods: Some(vec!["DNS".into()]),
        failure_reason: None,
        created_at: Some(NOW - 40 * DAY),
        imported_at: None,
        issued_at: Some(NOW - 30 * DAY),
        tags: Some(BTreeMap::new()),
        unread: vec![],
        collected_at: NOW,
    };
    change(&mut c);
    c
}

/// A certificate whose DescribeCertificate failed: only its ARN is known.
pub fn undescribed(name: &str) -> AcmCertificate {
    certificate(name, |c| {
        c.domain_name = None;
        c.subject_alternative_names = None;
        c.status = None;
        c.certificate_type = None;
        c.issuer = None;
        c.not_before = None;
        c.not_after = None;
        c.key_algorithm = None;
        c.signature_algorithm = None;
        c.in_use_by = None;
        c.renewal_eligibility = None;
        c.transparency_logging = None;
        c.validation_methods = None;
        c.created_at = None;
        c.issued_at = None;
        c.unread = vec!["acm:DescribeCertificate".into()];
    })
}

pub fn secret(name: &str, change: impl FnOnce(&mut Secret)) -> Secret {
    let mut s = Secret {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        secret_arn: format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}"),
        name: name.into(),
        description: None,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k")),
        rotation_enabled: true,
        rotation_lambda_arn: None,
        rotation_every_days: Some(30),
        rotation_schedule: None,
        last_rotated_date: Some(NOW - 10 * DAY),
        last_changed_date: Some(NOW - 10 * DAY),
        last_accessed_date: Some(NOW - DAY),
        next_rotation_date: Some(NOW + 20 * DAY),
        deleted_date: None,
        created_date: Some(NOW - 400 * DAY),
        owning_service: None,
        primary_region: None,
        replica_regions: Some(vec![]),
        tags: BTreeMap::new(),
        has_resource_policy: Some(false),
        resource_policy: None,
        unread: vec![],
        collected_at: NOW,
    };
    change(&mut s);
    s
}

pub fn parameter(name: &str, parameter_type: &str, key_id: Option<&str>) -> SsmParameter {
    SsmParameter {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        parameter_arn: format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/{name}"),
        name: format!("/app/{name}"),
        parameter_type: Some(parameter_type.into()),
        key_id: key_id.map(str::to_owned),
        tier: Some("Standard".into()),
        last_modified_date: Some(NOW),
        last_modified_user: None,
        version: 1,
        data_type: Some("text".into()),
        description: None,
        policies: vec![],
        unread: vec![],
        collected_at: NOW,
    }
}

/// A logging, KMS-encrypted single-region trail of the test account, in its
/// home region us-east-1, recording every management event.
pub fn trail(name: &str, change: impl FnOnce(&mut CloudTrailTrail)) -> CloudTrailTrail {
    let mut t = CloudTrailTrail {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        trail_arn: format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{name}"),
        name: name.into(),
        home_region: Some("us-east-1".into()),
        multi_region: Some(false),
        organization_trail: Some(false),
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k")),
        log_file_validation: Some(true),
        s3_bucket: Some("trail-bucket".into()),
        cloudwatch_logs_group_arn: None,
        logging: Some(true),
        latest_delivery: Some(NOW - DAY),
        latest_delivery_error: None,
        management_events: Some("All".into()),
        kms_events_logged: Some(true),
        unread: vec![],
        collected_at: NOW,
    };
    change(&mut t);
    t
}

/// A stack of the test account in us-east-1 whose creation succeeded,
/// managing the keys `kms_key_ids`.
pub fn stack(name: &str, status: &str, kms_key_ids: &[&str]) -> CloudFormationStack {
    CloudFormationStack {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        // Real ids end in a UUID; the name last keeps `verdicts` readable.
        stack_id: format!("arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{name}"),
        name: name.into(),
        status: Some(status.into()),
        status_reason: None,
        drift_status: Some("NOT_CHECKED".into()),
        drift_checked_at: None,
        created_at: Some(NOW - 30 * DAY),
        last_updated_at: None,
        termination_protection: Some(false),
        root_id: None,
        kms_key_ids: Some(kms_key_ids.iter().map(|k| (*k).to_owned()).collect()),
        unread: vec![],
        collected_at: NOW,
    }
}

/// The organisation `o-test` of [`test_account`] (root `r-1`, management
/// account 999999999999), with all features and SCPs enabled.
pub fn organization(change: impl FnOnce(&mut Organization)) -> Organization {
    let mut o = Organization {
        run_id: "r".into(),
        account_id: "999999999999".into(),
        account_name: "management".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "global".into(),
        arn: "arn:aws:organizations::999999999999:organization/o-test".into(),
        feature_set: Some("ALL".into()),
        management_account_id: Some("999999999999".into()),
        roots: Some(vec![OrganizationRoot {
            id: "r-1".into(),
            name: "Root".into(),
            policy_types: vec![PolicyTypeStatus {
                policy_type: "SERVICE_CONTROL_POLICY".into(),
                status: "ENABLED".into(),
            }],
        }]),
        unread: Vec::new(),
        collected_at: NOW,
    };
    change(&mut o);
    o
}

/// An SCP named `name` whose one statement is `statement`, attached to `targets`.
pub fn scp(name: &str, statement: serde_json::Value, targets: &[&str]) -> ServiceControlPolicy {
    let target = |id: &&str| PolicyTarget {
        target_id: (*id).to_owned(),
        target_type: if id.starts_with("r-") { "ROOT" } else { "ORGANIZATIONAL_UNIT" }.into(),
        name: (*id).to_owned(),
    };
    ServiceControlPolicy {
        run_id: "r".into(),
        account_id: "999999999999".into(),
        account_name: "management".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "global".into(),
        policy_arn: format!("arn:aws:organizations::999999999999:policy/o-test/service_control_policy/p-{name}"),
        policy_id: format!("p-{name}"),
        name: name.into(),
        description: None,
        aws_managed: Some(false),
        document: Some(serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()),
        targets: Some(targets.iter().map(target).collect()),
        unread: Vec::new(),
        collected_at: NOW,
    }
}

/// The one account-level finding of `engine`'s one rule over `inventory`
/// for `account`: its status and message.
pub fn account_verdict(
    engine: &RuleEngine,
    account: &Account,
    inventory: Inventory,
    gaps: &[ListingGap],
) -> (Status, String) {
    let findings = evaluate_over(engine, account, inventory, gaps);
    assert_eq!(findings.len(), 1, "one account-level finding: {findings:#?}");
    assert!(findings[0].resource_id.is_none(), "{findings:#?}");
    (findings[0].status, findings[0].message.clone())
}

/// A managed Config rule with source identifier `identifier`, ACTIVE, in `region`.
pub fn config_rule(identifier: &str, region: &str) -> ConfigRule {
    let name = identifier.to_lowercase().replace('_', "-");
    ConfigRule {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: region.into(),
        rule_arn: format!("arn:aws:config:{region}:{ACCOUNT}:config-rule/{name}"),
        name,
        rule_id: None,
        owner: Some("AWS".into()),
        source_identifier: Some(identifier.into()),
        state: Some("ACTIVE".into()),
        created_by: None,
        compliance: None,
        unread: Vec::new(),
        collected_at: NOW,
    }
}

/// A configuration recorder in `region`, recording or not (`None`: status unread).
pub fn config_recorder(region: &str, recording: Option<bool>) -> ConfigRecorder {
    ConfigRecorder {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: region.into(),
        recorder_arn: format!("arn:aws:config:{region}:{ACCOUNT}:configuration-recorder/default"),
        name: "default".into(),
        role_arn: None,
        all_supported: Some(true),
        include_global_resource_types: Some(true),
        recording,
        last_status: None,
        last_status_changed_at: None,
        unread: if recording.is_none() {
            vec!["config:DescribeConfigurationRecorderStatus".into()]
        } else {
            Vec::new()
        },
        collected_at: NOW,
    }
}

/// Every account-level finding of `engine`'s rules over `inventory`, by subject.
pub fn subject_verdicts(engine: &RuleEngine, inventory: Inventory, gaps: &[ListingGap]) -> BTreeMap<String, Status> {
    evaluate_over(engine, &test_account(), inventory, gaps)
        .into_iter()
        .map(|f| (f.subject.clone().expect("a subject"), f.status))
        .collect()
}

/// A region's KMS event history with no event: what a quiet account-region's
/// `cloudtrail-key-activity` record is.
pub fn quiet_history(region: &str) -> CloudTrailKeyActivity {
    CloudTrailKeyActivity {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: region.into(),
        activity_id: format!("arn:aws:cloudtrail:{region}:{ACCOUNT}:key-activity"),
        window_start: NOW - 30 * DAY,
        window_end: NOW,
        pages_read: 1,
        events_read: 0,
        truncated: false,
        key_events: Vec::new(),
        usage: Vec::new(),
        unread: Vec::new(),
        collected_at: NOW,
    }
}
