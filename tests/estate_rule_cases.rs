//! The certificate, secret, parameter, IAM, CloudTrail, CloudFormation and Organizations rules, case by case, through
//! the real WebAssembly host: resources that must PASS, FAIL or be reported
//! (INFO), resources a rule does not apply to (no finding), and resources
//! whose data could not be read (ERROR, never a verdict).

mod support;

use std::collections::BTreeMap;

use keyaudit::config::RulesConfig;
use keyaudit::kinds::acm_certificate::AcmCertificate;
use keyaudit::kinds::iam_policy::{IamPolicy, KmsStatement};
use keyaudit::kinds::iam_server_certificate::IamServerCertificate;
use keyaudit::kinds::secret::Secret;
use keyaudit::rules::{RuleEngine, Status};

use keyaudit::inventory::Account;
use keyaudit::inventory::ListingGap;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::cloudformation_stack::CloudFormationStack;
use keyaudit::kinds::cloudtrail_key_activity::{CloudTrailKeyActivity, KeyEvent, KeyUseCount};
use keyaudit::kinds::cloudtrail_trail::CloudTrailTrail;
use keyaudit::kinds::config_recorder::ConfigRecorder;
use keyaudit::kinds::config_rule::ConfigRule;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::kinds::organization::Organization;
use keyaudit::kinds::service_control_policy::ServiceControlPolicy;
use serde_json::json;
use support::records::{
    ACCOUNT, DAY, NOW, account_verdict, certificate, config_recorder, config_rule, organization, parameter,
    quiet_history, scp, secret, stack, subject_verdicts, test_account, trail, undescribed, verdicts, verdicts_over,
};

fn engine(rule: &str) -> RuleEngine {
    let config = RulesConfig {
        builtin_dir: Some(support::fresh::builtin_rules()),
        enable: vec![rule.to_owned()],
        cache_dir: Some(support::workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    };
    RuleEngine::load(&config).unwrap_or_else(|e| panic!("loading {rule}: {e} (run `make rules`)"))
}

fn expect(rule: &str, actual: BTreeMap<String, Status>, expected: &[(&str, Status)]) {
    let expected: BTreeMap<String, Status> = expected.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect();
    assert_eq!(actual, expected, "{rule}");
}

#[test]
fn certificate_rules() {
    use Status::*;
    let rule = "acm-certificate-expiry";
    let got = verdicts(
        &engine(rule),
        vec![
            certificate("long", |_| {}),
            certificate("soon", |c| c.not_after = Some(NOW + 10 * DAY)),
            certificate("edge", |c| c.not_after = Some(NOW + 30 * DAY)),
            certificate("gone", |c| {
                c.status = Some("EXPIRED".into());
                c.not_after = Some(NOW - 2 * DAY)
            }),
            certificate("pending", |c| c.status = Some("PENDING_VALIDATION".into())),
            undescribed("unknown"),
        ],
    );
    expect(rule, got, &[("long", Pass), ("soon", Fail), ("edge", Fail), ("gone", Fail), ("unknown", Error)]);

    let rule = "acm-certificate-key-strength";
    let got = verdicts(
        &engine(rule),
        vec![
            certificate("rsa2048", |_| {}),
            certificate("rsa1024", |c| c.key_algorithm = Some("RSA_1024".into())),
            certificate("p256", |c| c.key_algorithm = Some("EC_prime256v1".into())),
            certificate("p192", |c| c.key_algorithm = Some("EC_prime192v1".into())),
            certificate("novel", |c| c.key_algorithm = Some("ML_DSA_65".into())),
            undescribed("unknown"),
        ],
    );
    expect(
        rule,
        got,
        &[("rsa2048", Pass), ("rsa1024", Fail), ("p256", Pass), ("p192", Fail), ("novel", Error), ("unknown", Error)],
    );

    let rule = "acm-certificate-transparency";
    let got = verdicts(
        &engine(rule),
        vec![
            certificate("logged", |_| {}),
            certificate("default", |c| c.transparency_logging = None),
            certificate("optout", |c| c.transparency_logging = Some("DISABLED".into())),
            certificate("imported", |c| {
                c.certificate_type = Some("IMPORTED".into());
                c.transparency_logging = Some("DISABLED".into())
            }),
            undescribed("unknown"),
        ],
    );
    expect(rule, got, &[("logged", Pass), ("default", Pass), ("optout", Fail), ("unknown", Error)]);

    let rule = "acm-certificate-status";
    let pending = |c: &mut AcmCertificate| c.status = Some("PENDING_VALIDATION".into());
    let got = verdicts(
        &engine(rule),
        vec![
            certificate("issued", |_| {}),
            certificate("new", |c| {
                pending(c);
                c.created_at = Some(NOW - DAY)
            }),
            certificate("stuck", |c| {
                pending(c);
                c.created_at = Some(NOW - 5 * DAY)
            }),
            certificate("failed", |c| c.status = Some("FAILED".into())),
            certificate("timedout", |c| c.status = Some("VALIDATION_TIMED_OUT".into())),
            undescribed("unknown"),
        ],
    );
    expect(
        rule,
        got,
        &[("issued", Pass), ("new", Pass), ("stuck", Fail), ("failed", Fail), ("timedout", Fail), ("unknown", Error)],
    );

    let rule = "acm-certificate-renewal";
    let got = verdicts(
        &engine(rule),
        vec![
            certificate("managed", |_| {}),
            certificate("imported", |c| c.certificate_type = Some("IMPORTED".into())),
            certificate("ineligible", |c| c.renewal_eligibility = Some("INELIGIBLE".into())),
            undescribed("unknown"),
        ],
    );
    expect(rule, got, &[("managed", Pass), ("imported", Info), ("ineligible", Info), ("unknown", Error)]);
}

fn server_certificate(name: &str, not_after: Option<i64>) -> IamServerCertificate {
    IamServerCertificate {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "global".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:server-certificate/{name}"),
        name: name.into(),
        server_certificate_id: "ASCA".into(),
        path: "/".into(),
        upload_date: Some(NOW - 400 * DAY),
        not_before: not_after.map(|_| NOW - 400 * DAY),
        not_after,
        key_algorithm: Some("RSA".into()),
        key_size: Some(2048),
        signature_algorithm: Some("sha256WithRSAEncryption".into()),
        subject: None,
        issuer: None,
        unread: if not_after.is_none() { vec!["iam:GetServerCertificate".into()] } else { vec![] },
        collected_at: NOW,
    }
}

#[test]
fn server_certificate_rules() {
    use Status::*;
    let certificates = || {
        vec![
            server_certificate("valid", Some(NOW + 90 * DAY)),
            server_certificate("expired", Some(NOW - DAY)),
            server_certificate("unknown", None),
        ]
    };
    let rule = "iam-server-certificate-expired";
    expect(rule, verdicts(&engine(rule), certificates()), &[("valid", Pass), ("expired", Fail), ("unknown", Error)]);
    let rule = "iam-server-certificate-legacy";
    expect(rule, verdicts(&engine(rule), certificates()), &[("valid", Info), ("expired", Info), ("unknown", Info)]);
}

#[test]
fn secret_rules() {
    use Status::*;
    let rule = "secret-rotation-enabled";
    let got = verdicts(&engine(rule), vec![secret("on", |_| {}), secret("off", |s| s.rotation_enabled = false)]);
    expect(rule, got, &[("on", Pass), ("off", Fail)]);

    let rule = "secret-rotated-recently";
    let got = verdicts(
        &engine(rule),
        vec![
            secret("recent", |_| {}),
            secret("stale", |s| s.last_rotated_date = Some(NOW - 120 * DAY)),
            secret("newborn", |s| {
                s.last_rotated_date = None;
                s.created_date = Some(NOW - 5 * DAY)
            }),
            secret("never", |s| s.last_rotated_date = None),
        ],
    );
    expect(rule, got, &[("recent", Pass), ("stale", Fail), ("newborn", Pass), ("never", Fail)]);

    let rule = "secret-rotation-succeeding";
    let got = verdicts(
        &engine(rule),
        vec![
            secret("ontime", |_| {}),
            secret("overdue", |s| s.next_rotation_date = Some(NOW - DAY)),
            secret("derived", |s| {
                s.next_rotation_date = None;
                s.last_rotated_date = Some(NOW - 40 * DAY)
            }),
            secret("off", |s| s.rotation_enabled = false),
        ],
    );
    expect(rule, got, &[("ontime", Pass), ("overdue", Fail), ("derived", Fail)]);

    let rule = "secret-unused";
    let got = verdicts(
        &engine(rule),
        vec![
            secret("used", |_| {}),
            secret("idle", |s| s.last_accessed_date = Some(NOW - 100 * DAY)),
            secret("unread-old", |s| s.last_accessed_date = None),
        ],
    );
    expect(rule, got, &[("used", Pass), ("idle", Fail), ("unread-old", Fail)]);

    let rule = "secret-not-public";
    let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;
    let scoped = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-test"}}}]}"#;
    let with_policy = |text: &str| {
        let text = text.to_owned();
        move |s: &mut Secret| {
            s.has_resource_policy = Some(true);
            s.resource_policy = Some(text)
        }
    };
    let got = verdicts(
        &engine(rule),
        vec![
            secret("none", |_| {}),
            secret("public", with_policy(public)),
            secret("org", with_policy(scoped)),
            secret("unknown", |s| {
                s.has_resource_policy = None;
                s.unread = vec!["secretsmanager:GetResourcePolicy".into()]
            }),
        ],
    );
    expect(rule, got, &[("none", Pass), ("public", Fail), ("org", Pass), ("unknown", Error)]);

    let rule = "secret-customer-key";
    let got = verdicts(
        &engine(rule),
        vec![
            secret("cmk", |_| {}),
            secret("default", |s| s.kms_key_id = None),
            secret("alias", |s| s.kms_key_id = Some("alias/aws/secretsmanager".into())),
        ],
    );
    expect(rule, got, &[("cmk", Pass), ("default", Info), ("alias", Info)]);
}

#[test]
fn parameter_rules() {
    use Status::*;
    let parameters = || {
        vec![
            parameter("db_password", "String", None),
            parameter("API-Key", "StringList", None),
            parameter("region", "String", None),
            parameter("token-default", "SecureString", Some("alias/aws/ssm")),
            parameter("token-cmk", "SecureString", Some("alias/app")),
        ]
    };
    let rule = "ssm-sensitive-as-plain-string";
    expect(rule, verdicts(&engine(rule), parameters()), &[("db_password", Fail), ("API-Key", Fail), ("region", Pass)]);
    let rule = "ssm-securestring-customer-key";
    expect(rule, verdicts(&engine(rule), parameters()), &[("token-default", Info), ("token-cmk", Pass)]);
}

fn iam_policy(name: &str, statements: Option<Vec<KmsStatement>>) -> IamPolicy {
    IamPolicy {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "global".into(),
        policy_arn: format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
        name: name.into(),
        policy_type: "managed".into(),
        attached_to: vec![],
        document: None,
        unread: if statements.is_none() { vec!["iam:GetAccountAuthorizationDetails".into()] } else { vec![] },
        kms_statements: statements,
        collected_at: NOW,
    }
}

fn allow(actions: &[&str], resources: &[&str]) -> KmsStatement {
    KmsStatement {
        sid: None,
        effect: "Allow".into(),
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        not_action: false,
        resources: resources.iter().map(|r| (*r).to_owned()).collect(),
        not_resource: false,
        condition: None,
    }
}

#[test]
fn iam_policy_rules() {
    use Status::*;
    let key = "arn:aws:kms:us-east-1:111111111111:key/k";
    let policies = || {
        vec![
            iam_policy("none", Some(vec![])),
            iam_policy("star", Some(vec![allow(&["kms:*"], &["*"])])),
            iam_policy("everything", Some(vec![allow(&["*"], &["*"])])),
            iam_policy("decrypt-all", Some(vec![allow(&["kms:Decrypt"], &["*"])])),
            iam_policy("reencrypt-all", Some(vec![allow(&["kms:ReEncrypt*"], &["*"])])),
            iam_policy("decrypt-one", Some(vec![allow(&["kms:Decrypt"], &[key])])),
            iam_policy("star-one", Some(vec![allow(&["kms:*"], &[key])])),
            iam_policy("not-action", Some(vec![KmsStatement { not_action: true, ..allow(&["iam:*"], &["*"]) }])),
            iam_policy("deny", Some(vec![KmsStatement { effect: "Deny".into(), ..allow(&["kms:*"], &["*"]) }])),
            iam_policy("unparsed", None),
        ]
    };
    let rule = "iam-no-kms-decrypt-on-all-keys";
    expect(
        rule,
        verdicts(&engine(rule), policies()),
        &[
            ("none", Pass),
            ("star", Fail),
            ("everything", Fail),
            ("decrypt-all", Fail),
            ("reencrypt-all", Fail),
            ("decrypt-one", Pass),
            ("star-one", Pass),
            ("not-action", Fail),
            ("deny", Pass),
            ("unparsed", Error),
        ],
    );
    let rule = "iam-no-kms-full-access";
    expect(
        rule,
        verdicts(&engine(rule), policies()),
        &[
            ("none", Pass),
            ("star", Fail),
            ("everything", Fail),
            ("decrypt-all", Pass),
            ("reencrypt-all", Pass),
            ("decrypt-one", Pass),
            ("star-one", Fail),
            ("not-action", Fail),
            ("deny", Pass),
            ("unparsed", Error),
        ],
    );
}

#[test]
fn trail_rules() {
    use Status::*;
    let rule = "cloudtrail-kms-encrypted";
    let got = verdicts(
        &engine(rule),
        vec![
            trail("encrypted", |_| {}),
            trail("plain", |t| t.kms_key_id = None),
            trail("empty-key", |t| t.kms_key_id = Some(String::new())),
            // A multi-Region trail of this account seen in us-east-1: judged
            // in its home region, not in each region it covers.
            trail("shadow", |t| {
                t.home_region = Some("eu-west-1".into());
                t.multi_region = Some(true);
                t.kms_key_id = None;
            }),
            // The organisation's trail, seen from a member account: judged
            // in the management account that owns it.
            trail("organisation", |t| {
                t.trail_arn = "arn:aws:cloudtrail:us-east-1:999999999999:trail/organisation".into();
                t.organization_trail = Some(true);
                t.kms_key_id = None;
            }),
            trail("unknown-home", |t| t.home_region = None),
        ],
    );
    expect(rule, got, &[("encrypted", Pass), ("plain", Fail), ("empty-key", Fail), ("unknown-home", Error)]);
}

#[test]
fn stack_rules() {
    use Status::*;
    let rule = "cfn-key-infrastructure-as-code";
    let engine = engine(rule);
    let key = |name: &str, change: fn(&mut KmsKey)| {
        let mut k = support::kms_key(ACCOUNT, name, NOW);
        change(&mut k);
        k
    };
    let keys = || {
        vec![
            key("k-managed", |_| {}),
            key("k-by-hand", |_| {}),
            key("k-going", |k| k.key_state = Some("PendingDeletion".into())),
            key("k-aws", |k| k.key_manager = Some("AWS".into())),
            key("k-europe", |k| {
                k.region = "eu-west-1".into();
                k.key_arn = k.key_arn.replace("us-east-1", "eu-west-1");
            }),
        ]
    };
    let inventory = |stacks: Vec<CloudFormationStack>| {
        let mut inventory = Inventory::from_records(keys());
        inventory.extend(Inventory::from_records(stacks));
        inventory
    };
    let stacks = vec![
        stack("keys", "CREATE_COMPLETE", &["k-managed"]),
        stack("updated", "UPDATE_COMPLETE", &[]),
        stack("rolled-back", "ROLLBACK_COMPLETE", &[]),
        stack("update-rolled-back", "UPDATE_ROLLBACK_COMPLETE", &[]),
        stack("stuck", "UPDATE_ROLLBACK_FAILED", &[]),
        stack("busy", "UPDATE_IN_PROGRESS", &[]),
        stack("review", "REVIEW_IN_PROGRESS", &[]),
        CloudFormationStack { status: None, ..stack("unknown", "", &[]) },
    ];
    let got = verdicts_over(&engine, inventory(stacks), &[]);
    expect(
        rule,
        got,
        &[
            ("keys", Pass),
            ("updated", Pass),
            ("rolled-back", Fail),
            ("update-rolled-back", Fail),
            ("stuck", Fail),
            ("busy", Info),
            ("review", Info),
            ("unknown", Error),
            ("k-managed", Pass),
            ("k-by-hand", Fail),
            ("k-europe", Fail),
        ],
    );

    // A stack whose resources are unknown might manage any key of its region;
    // where the stacks could not be listed, no key's absence decides anything.
    let mut unread = stack("opaque", "CREATE_COMPLETE", &[]);
    unread.kms_key_ids = None;
    unread.unread = vec!["cloudformation:ListStackResources".into()];
    let gap = ListingGap {
        region: "eu-west-1".into(),
        kind: "cloudformation-stack".into(),
        cause: "cloudformation:DescribeStacks (AccessDenied)".into(),
    };
    let got = verdicts_over(&engine, inventory(vec![unread, stack("keys", "CREATE_COMPLETE", &["k-managed"])]), &[gap]);
    expect(
        rule,
        got,
        &[("opaque", Error), ("keys", Pass), ("k-managed", Pass), ("k-by-hand", Error), ("k-europe", Error)],
    );
}

/// An inventory of the organisation and these SCPs.
fn organisation_with(org: Organization, scps: Vec<ServiceControlPolicy>) -> Inventory {
    let mut inventory = Inventory::from_records(vec![org]);
    inventory.extend(Inventory::from_records(scps));
    inventory
}

#[test]
fn organisation_rules() {
    use Status::*;
    let rule = "org-all-features-and-scps";
    let engine = engine(rule);
    let account = test_account();
    let verdict = |org: Option<Organization>, gaps: &[ListingGap]| {
        let inventory = Inventory::from_records(org.into_iter().collect());
        account_verdict(&engine, &account, inventory, gaps).0
    };
    assert_eq!(verdict(Some(organization(|_| {})), &[]), Pass);
    assert_eq!(verdict(Some(organization(|o| o.feature_set = Some("CONSOLIDATED_BILLING".into()))), &[]), Fail);
    assert_eq!(verdict(Some(organization(|o| o.roots.as_mut().unwrap()[0].policy_types.clear())), &[]), Fail);
    assert_eq!(verdict(None, &[]), Fail, "listed, and in no organisation");
    // Unknown is never a verdict.
    assert_eq!(verdict(Some(organization(|o| o.roots = None)), &[]), Error);
    assert_eq!(verdict(Some(organization(|o| o.feature_set = None)), &[]), Error);
    assert_eq!(verdict(Some(organization(|o| o.org_id = "o-other".into())), &[]), Error, "another organisation");
    let unlisted = ListingGap {
        region: "global".into(),
        kind: "organization".into(),
        cause: "organizations:DescribeOrganization (AccessDeniedException)".into(),
    };
    assert_eq!(verdict(None, std::slice::from_ref(&unlisted)), Error, "the organisation could not be read");
    let listed_elsewhere = Account { org_id: String::new(), ..test_account() };
    let (status, message) =
        account_verdict(&engine, &listed_elsewhere, Inventory::from_records(vec![organization(|_| {})]), &[]);
    assert_eq!(status, Error, "an account given in a list: its organisation is unknown ({message})");
}

#[test]
fn scp_rule() {
    use Status::*;
    let rule = "org-scp-protects-keys";
    let guard = |condition: Option<serde_json::Value>| {
        let mut statement = json!({"Effect": "Deny",
            "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"], "Resource": "*"});
        if let Some(condition) = condition {
            statement["Condition"] = condition;
        }
        statement
    };
    let break_glass = || Some(json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}));
    let full_access = scp("FullAWSAccess", json!({"Effect": "Allow", "Action": "*", "Resource": "*"}), &["r-1"]);
    let account = Account { ou_id_path: "r-1/ou-1-work".into(), ..test_account() };
    let check = |engine: &RuleEngine, scps: Vec<ServiceControlPolicy>, org: Organization, account: &Account| {
        let mut all = vec![full_access.clone()];
        all.extend(scps);
        account_verdict(engine, account, organisation_with(org, all), &[])
    };
    let engine = engine(rule);
    let status = |scps, org, account: &Account| check(&engine, scps, org, account).0;
    let sound = || organization(|_| {});

    assert_eq!(status(vec![scp("guard", guard(None), &["r-1"])], sound(), &account), Pass, "at the root");
    assert_eq!(status(vec![scp("guard", guard(break_glass()), &["ou-1-work"])], sound(), &account), Pass, "on its OU");
    assert_eq!(status(vec![scp("guard", guard(break_glass()), &["ou-1-other"])], sound(), &account), Fail, "elsewhere");
    assert_eq!(status(vec![], sound(), &account), Fail, "no Deny at all");
    let (verdict, message) = check(
        &engine,
        vec![scp("eu-only", guard(Some(json!({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))), &["r-1"])],
        sound(),
        &account,
    );
    assert_eq!(verdict, Fail, "a Deny that holds only in one region");
    assert!(message.contains("eu-only") && message.contains("aws:requestedregion"), "{message}");
    let every_role = Some(json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}));
    assert_eq!(status(vec![scp("lax", guard(every_role), &["r-1"])], sound(), &account), Fail, "exempts every role");
    let partial = json!({"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"});
    assert_eq!(status(vec![scp("deletion-only", partial, &["r-1"])], sound(), &account), Fail, "one action of three");
    let split = vec![
        scp("a", json!({"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}), &["r-1"]),
        scp(
            "b",
            json!({"Effect": "Deny", "Action": ["kms:DisableKey", "kms:PutKeyPolicy"], "Resource": "*"}),
            &["ou-1-work"],
        ),
    ];
    assert_eq!(status(split, sound(), &account), Pass, "two SCPs on the path together");
    assert_eq!(
        status(
            vec![scp("guard", guard(None), &["r-1"])],
            organization(|o| o.roots.as_mut().unwrap()[0].policy_types.clear()),
            &account
        ),
        Fail,
        "SCPs not enabled on the root"
    );
    let management = Account { account_id: "999999999999".into(), ..account.clone() };
    assert_eq!(status(vec![], sound(), &management), Info, "SCPs never restrict the management account");

    // A break-glass role named by the parameter: only that exemption counts.
    let mut config = RulesConfig {
        builtin_dir: Some(support::fresh::builtin_rules()),
        enable: vec![rule.to_owned()],
        cache_dir: Some(support::workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    };
    config.parameters.insert(
        rule.into(),
        [("break_glass_roles".to_owned(), toml::Value::Array(vec![toml::Value::String("Emergency*".into())]))].into(),
    );
    let named = RuleEngine::load(&config).expect("load with parameters");
    assert_eq!(check(&named, vec![scp("guard", guard(break_glass()), &["r-1"])], sound(), &account).0, Fail);
    let emergency = Some(json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/EmergencyAccess"}}));
    assert_eq!(check(&named, vec![scp("guard", guard(emergency), &["r-1"])], sound(), &account).0, Pass);

    // Unknown is never a verdict: an SCP's document or targets, or the
    // account's place in the organisation.
    let mut unread = scp("guard", guard(None), &["r-1"]);
    unread.document = None;
    unread.unread = vec!["organizations:DescribePolicy".into()];
    assert_eq!(status(vec![unread], sound(), &account), Error);
    let mut untargeted = scp("guard", guard(None), &["r-1"]);
    untargeted.targets = None;
    untargeted.unread = vec!["organizations:ListTargetsForPolicy".into()];
    assert_eq!(status(vec![untargeted], sound(), &account), Error);
    let nowhere = Account { ou_id_path: String::new(), ..account.clone() };
    assert_eq!(status(vec![scp("guard", guard(None), &["r-1"])], sound(), &nowhere), Error, "OU path unknown");
    let unlisted = ListingGap {
        region: "global".into(),
        kind: "service-control-policy".into(),
        cause: "organizations:ListPolicies (AccessDeniedException)".into(),
    };
    let inventory = organisation_with(sound(), vec![full_access.clone()]);
    assert_eq!(account_verdict(&engine, &account, inventory, &[unlisted]).0, Error, "the SCPs could not be listed");
}

#[test]
fn key_management_config_rules() {
    use Status::*;
    let rule = "config-key-rules-present";
    let engine = engine(rule);
    let all = |region: &str| -> Vec<ConfigRule> {
        [
            "CMK_BACKING_KEY_ROTATION_ENABLED",
            "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
            "ACM_CERTIFICATE_EXPIRATION_CHECK",
            "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
        ]
        .iter()
        .map(|id| config_rule(id, region))
        .collect()
    };
    let over = |rules: Vec<ConfigRule>, recorders: Vec<ConfigRecorder>, gaps: &[ListingGap]| {
        let mut inventory = Inventory::from_records(rules);
        inventory.extend(Inventory::from_records(recorders));
        subject_verdicts(&engine, inventory, gaps)
    };
    let east = "region:us-east-1";
    let west = "region:eu-west-1";
    // us-east-1 complete; eu-west-1 has nothing.
    let got = over(all("us-east-1"), vec![config_recorder("us-east-1", Some(true))], &[]);
    assert_eq!(got, BTreeMap::from([(east.into(), Pass), (west.into(), Fail)]));
    // A rule missing, or one not active.
    let mut three = all("us-east-1");
    three.pop();
    let got = over(three, vec![config_recorder("us-east-1", Some(true))], &[]);
    assert_eq!(got[east], Fail);
    let mut deleting = all("us-east-1");
    deleting[0].state = Some("DELETING".into());
    assert_eq!(over(deleting, vec![config_recorder("us-east-1", Some(true))], &[])[east], Fail);
    // Rules without a recording recorder evaluate nothing.
    assert_eq!(over(all("us-east-1"), vec![config_recorder("us-east-1", Some(false))], &[])[east], Fail);
    assert_eq!(over(all("us-east-1"), vec![], &[])[east], Fail, "no recorder");
    // Unknown is never a verdict.
    assert_eq!(over(all("us-east-1"), vec![config_recorder("us-east-1", None)], &[])[east], Error, "status unread");
    let mut stateless = all("us-east-1");
    stateless[1].state = None;
    assert_eq!(over(stateless, vec![config_recorder("us-east-1", Some(true))], &[])[east], Error);
    let unlisted = ListingGap {
        region: "us-east-1".into(),
        kind: "config-rule".into(),
        cause: "config:DescribeConfigRules (AccessDeniedException)".into(),
    };
    let got = over(vec![], vec![config_recorder("us-east-1", Some(true))], &[unlisted]);
    assert_eq!(got, BTreeMap::from([(east.into(), Error), (west.into(), Fail)]), "only the unlisted region is unknown");
}

/// A region's history with key-management events and uses of keys.
fn history(region: &str, events: &[&str], uses: &[(&str, i64, i64)], truncated: bool) -> CloudTrailKeyActivity {
    let mut h = quiet_history(region);
    h.truncated = truncated;
    h.key_events = events
        .iter()
        .enumerate()
        .map(|(i, name)| KeyEvent {
            event_id: format!("e{i}"),
            event_name: (*name).into(),
            event_time: Some(NOW - DAY),
            username: Some("admin".into()),
            key_arn: None,
        })
        .collect();
    h.usage = uses
        .iter()
        .map(|(key, decrypt, encrypt)| KeyUseCount {
            key_arn: format!("arn:aws:kms:{region}:{ACCOUNT}:key/{key}"),
            decrypt: *decrypt,
            encrypt: *encrypt,
            re_encrypt: 0,
        })
        .collect();
    h
}

#[test]
fn key_events_audited_rule() {
    use Status::*;
    let engine = engine("cloudtrail-key-events-audited");
    let both = |h: Vec<CloudTrailKeyActivity>, trails: Vec<CloudTrailTrail>, gaps: &[ListingGap]| {
        let mut inventory = Inventory::from_records(trails);
        inventory.extend(Inventory::from_records(h));
        account_verdict(&engine, &test_account(), inventory, gaps)
    };
    let quiet = || vec![quiet_history("us-east-1"), quiet_history("eu-west-1")];
    let multi = |change: fn(&mut CloudTrailTrail)| {
        let mut home = trail("all", |t| t.multi_region = Some(true));
        change(&mut home);
        let shadow =
            CloudTrailTrail { region: "eu-west-1".into(), logging: None, management_events: None, ..home.clone() };
        vec![home, shadow]
    };
    let events =
        vec![history("us-east-1", &["CreateKey", "ScheduleKeyDeletion"], &[], false), quiet_history("eu-west-1")];
    let (status, message) = both(events, multi(|_| {}), &[]);
    assert_eq!(status, Pass, "{message}");
    assert!(message.contains("2 key-management events"), "{message}");
    assert_eq!(both(quiet(), multi(|_| {}), &[]).0, Pass, "no events in the window is no failure");
    assert_eq!(both(quiet(), vec![trail("single", |_| {})], &[]).0, Fail, "a single-Region trail");
    assert_eq!(both(quiet(), multi(|t| t.kms_events_logged = Some(false)), &[]).0, Fail, "KMS's events left out");
    assert_eq!(both(quiet(), multi(|t| t.management_events = Some("ReadOnly".into())), &[]).0, Fail);
    assert_eq!(both(quiet(), multi(|t| t.logging = Some(false)), &[]).0, Fail, "not logging");
    assert_eq!(both(quiet(), vec![], &[]).0, Fail, "no trail");
    // Unknown is never a verdict.
    let (status, message) = both(quiet(), multi(|t| t.logging = None), &[]);
    assert_eq!(status, Error, "{message}");
    let unread = ListingGap {
        region: "eu-west-1".into(),
        kind: "cloudtrail-key-activity".into(),
        cause: "cloudtrail:LookupEvents (HTTP 500)".into(),
    };
    assert_eq!(both(vec![quiet_history("us-east-1")], multi(|_| {}), &[unread]).0, Error, "history unread");
}

#[test]
fn usage_anomaly_rule() {
    use Status::*;
    let rule = "kms-usage-anomaly";
    let key = |name: &str, region: &str| {
        let mut k = support::kms_key(ACCOUNT, name, NOW);
        k.region = region.into();
        k.key_arn = format!("arn:aws:kms:{region}:{ACCOUNT}:key/{name}");
        k
    };
    let keys = vec![
        key("bulk", "us-east-1"),
        key("balanced", "us-east-1"),
        key("few", "us-east-1"),
        key("unused", "us-east-1"),
        key("west", "eu-west-1"),
    ];
    let uses = [("bulk", 120, 11), ("balanced", 100, 20), ("few", 9, 0)];
    let over = |west: CloudTrailKeyActivity| {
        let mut inventory = Inventory::from_records(keys.clone());
        inventory.extend(Inventory::from_records(vec![history("us-east-1", &[], &uses, false), west]));
        verdicts_over(&engine(rule), inventory, &[])
    };
    expect(
        rule,
        over(quiet_history("eu-west-1")),
        &[("bulk", Fail), ("balanced", Pass), ("few", Pass), ("unused", Pass), ("west", Pass)],
    );
    // A history cut at the page cap: its counts are lower bounds.
    expect(
        rule,
        over(history("eu-west-1", &[], &[], true)),
        &[("bulk", Fail), ("balanced", Pass), ("few", Pass), ("unused", Pass), ("west", Error)],
    );
    // No history for a region (it could not be listed).
    let mut inventory = Inventory::from_records(keys.clone());
    inventory.extend(Inventory::from_records(vec![history("us-east-1", &[], &uses, false)]));
    let gap = ListingGap {
        region: "eu-west-1".into(),
        kind: "cloudtrail-key-activity".into(),
        cause: "cloudtrail:LookupEvents (AccessDeniedException)".into(),
    };
    let got = verdicts_over(&engine(rule), inventory, &[gap]);
    assert_eq!(got["west"], Error);
    assert_eq!(got["bulk"], Fail, "the other region is judged");
}

/// Where GetKeyLastUsage could not be read, kms-key-unused looks for a use
/// in CloudTrail's event history: a use passes the key; no use, or no
/// history, leaves its usage unknown (ERROR), never "unused".
#[test]
fn key_unused_falls_back_to_cloudtrail() {
    use Status::*;
    let rule = "kms-key-unused";
    let unread = |name: &str| {
        let mut k = support::kms_key(ACCOUNT, name, NOW);
        (k.usage_tracked_since, k.last_used_date, k.last_used_operation) = (None, None, None);
        k.unread = vec!["kms:GetKeyLastUsage".into()];
        k
    };
    let mut disabled = unread("disabled");
    disabled.key_state = Some("Disabled".into());
    let keys = vec![unread("used"), unread("quiet"), disabled, support::kms_key(ACCOUNT, "known", NOW)];
    let over = |histories: Vec<CloudTrailKeyActivity>, gaps: &[ListingGap]| {
        let mut inventory = Inventory::from_records(keys.clone());
        inventory.extend(Inventory::from_records(histories));
        verdicts_over(&engine(rule), inventory, gaps)
    };
    expect(
        rule,
        over(vec![history("us-east-1", &[], &[("used", 3, 0)], false), quiet_history("eu-west-1")], &[]),
        &[("used", Pass), ("quiet", Error), ("disabled", Fail), ("known", Pass)],
    );
    let gap = ListingGap {
        region: "us-east-1".into(),
        kind: "cloudtrail-key-activity".into(),
        cause: "cloudtrail:LookupEvents (HTTP 500)".into(),
    };
    expect(
        rule,
        over(vec![quiet_history("eu-west-1")], &[gap]),
        &[("used", Error), ("quiet", Error), ("disabled", Fail), ("known", Pass)],
    );
}
