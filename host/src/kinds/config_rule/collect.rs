//! Config rules collector: `DescribeConfigRules`, then (group "compliance")
//! `DescribeComplianceByConfigRule` for the region's rules.

use std::collections::BTreeMap;

use aws_sdk_config::Client;
use aws_sdk_config::types::ConfigRule as SdkRule;

use super::{ConfigRule, INFO, config_api};
use crate::aws::AwsResultExt;
use crate::collect::{Page, RegionContext};
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// What AWS reports for a rule with no evaluation results.
const NO_RESULTS: &str = "INSUFFICIENT_DATA";

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, ConfigRule> {
    Box::pin(collect_rules(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "config-rules"))]
async fn collect_rules(ctx: &RegionContext, want: &Want) -> Collected<ConfigRule> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (rules, error) = ctx
        .paginate(|token| {
            let request = client.describe_config_rules().set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out.config_rules().iter().filter(|r| r.config_rule_arn().is_some()).cloned().collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, config_api::DESCRIBE_CONFIG_RULES, None, err));
    }
    collected.records = rules.iter().map(|rule| record(ctx, rule)).collect();
    if want.wants("compliance") && !collected.records.is_empty() {
        let (compliance, error) = ctx
            .paginate(|token| {
                let request = client.describe_compliance_by_config_rule().set_next_token(token);
                async move {
                    let out = request.send().await.aws()?;
                    let items = out
                        .compliance_by_config_rules()
                        .iter()
                        .filter_map(|c| {
                            let kind = c.compliance().and_then(|c| c.compliance_type()).map(|t| t.as_str().to_owned());
                            Some((c.config_rule_name()?.to_owned(), kind.unwrap_or_else(|| NO_RESULTS.to_owned())))
                        })
                        .collect();
                    Ok(Page { items, next: out.next_token().map(str::to_owned) })
                }
            })
            .await;
        match error {
            None => {
                let by_name: BTreeMap<String, String> = compliance.into_iter().collect();
                for rule in &mut collected.records {
                    rule.compliance = Some(by_name.get(&rule.name).cloned().unwrap_or_else(|| NO_RESULTS.to_owned()));
                }
            }
            Some(err) => {
                collected.errors.push(ctx.error(SERVICE, config_api::DESCRIBE_COMPLIANCE_BY_CONFIG_RULE, None, err));
                for rule in &mut collected.records {
                    rule.unread.push(config_api::DESCRIBE_COMPLIANCE_BY_CONFIG_RULE.to_owned());
                }
            }
        }
    }
    collected
}

fn record(ctx: &RegionContext, rule: &SdkRule) -> ConfigRule {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let arn = rule.config_rule_arn().unwrap_or_default();
    ConfigRule {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        rule_arn: arn.to_owned(),
        // Only rules with an ARN are kept; the name AWS always sends.
        name: rule.config_rule_name().unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn)).to_owned(),
        rule_id: text(rule.config_rule_id()),
        owner: text(rule.source().map(|s| s.owner().as_str())),
        source_identifier: text(rule.source().and_then(|s| s.source_identifier())),
        state: text(rule.config_rule_state().map(|s| s.as_str())),
        created_by: text(rule.created_by()),
        compliance: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
