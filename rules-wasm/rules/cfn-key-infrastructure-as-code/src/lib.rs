//! cfn-key-infrastructure-as-code: CloudFormation stacks are healthy, and
//! customer-managed keys are managed by a stack.

use keyaudit_rule_sdk::cloudformation::{Health, managing_stack};
use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct InfrastructureAsCode;

impl Guest for InfrastructureAsCode {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "cfn-key-infrastructure-as-code".into(),
            title: "Keys are managed as code by healthy CloudFormation stacks".into(),
            description: "Every CloudFormation stack's last operation succeeded (CREATE_COMPLETE, \
                          UPDATE_COMPLETE or IMPORT_COMPLETE; a failed or rolled-back stack FAILs, one in \
                          progress is INFO), and every customer-managed key not pending deletion is a \
                          resource of a stack in its region, so that its policy and rotation are reviewed \
                          and reproducible."
                .into(),
            severity: Severity::Low,
            reads: vec![
                reads(cloudformation::KIND, &[cloudformation::group::RESOURCES]),
                reads(kms::KIND, &[kms::group::ARN]),
            ],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Fix or roll forward the failed stack (aws cloudformation describe-stack-events); bring \
                          keys created by hand under a stack (aws cloudformation create-change-set \
                          --change-set-type IMPORT)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html".into(),
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let stacks = cloudformation::list();
        let keys = kms::list();
        let mut findings: Vec<Finding> = items(&stacks)
            .map(|stack| {
                let status = stack.status.clone().unwrap_or_default();
                match stack.health() {
                    Some(Health::Succeeded) => stack.pass(status.clone(), vec![("status", status.clone())]),
                    Some(Health::Failed) => {
                        let reason = stack.status_reason.clone().unwrap_or_default();
                        stack.fail(
                            format!("the last operation did not succeed: {status}"),
                            vec![("status", status.clone()), ("status_reason", reason)],
                        )
                    }
                    Some(Health::InProgress) => stack.info(format!("an operation is under way: {status}"), vec![]),
                    None if stack.status.is_none() => stack.error("the stack's status is unknown"),
                    None => stack.error(format!("status {status} is not one this rule knows")),
                }
            })
            .collect();
        for key in kms_keys(&keys).filter(|k| k.is_customer_managed() && k.state() != "PendingDeletion") {
            let region = key.region();
            if !scope.listed(cloudformation::KIND, region) {
                findings.push(key.error(format!("the stacks of {region} could not all be listed")));
                continue;
            }
            findings.push(match managing_stack(&key, &stacks) {
                Ok(Some(stack)) => key.pass("managed by a CloudFormation stack", vec![("stack", stack.to_owned())]),
                Ok(None) => key.fail("not managed by any CloudFormation stack of its region", vec![]),
                Err(problem) => key.error(problem),
            });
        }
        Ok(findings)
    }
}

export_rule!(InfrastructureAsCode);
