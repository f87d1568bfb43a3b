//! Account discovery: the accounts of the caller's AWS Organization with their
//! OU paths, or an explicit list, narrowed by the include/exclude filters.
//!
//! OU paths come from walking the OU tree from the root (`ListRoots`,
//! `ListOrganizationalUnitsForParent`, `ListAccountsForParent`), which costs one
//! call per OU rather than one per account: Organizations' request quota is low
//! and shared by the whole organisation.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{AccountState, AccountStatus};

use crate::aws::{AwsError, ErrorKind, RetryPolicy, retry_sdk};
use crate::config::{DiscoveryConfig, DiscoverySource};
use crate::inventory::Account;

/// Discovery failed: the run cannot know what to scan.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("cannot list the organisation's accounts: organizations:{api} {}", advice(error))]
    Organizations { api: &'static str, error: AwsError },
}

/// What a discovery failure means for the user.
fn advice(err: &AwsError) -> String {
    let what = err.describe();
    match err.kind() {
        ErrorKind::Denied => format!(
            "was denied: {what}. The caller needs organizations:List* and organizations:Describe* in the \
             management or a delegated-administrator account; or set discovery.source = \"list\" with \
             discovery.accounts"
        ),
        ErrorKind::Throttled => format!(
            "was throttled: {what}. Organizations' quota is shared by the whole organisation: try again later, or \
             allow more attempts (--max-attempts)"
        ),
        _ => format!("failed: {what}"),
    }
}

/// The organisation's accounts, before filtering.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub org_id: String,
    /// Every account, with its Organizations state (`ACTIVE`, `SUSPENDED`, …).
    pub accounts: Vec<(Account, String)>,
}

/// Finds the accounts to scan, as `config` says.
pub async fn discover(
    sdk: &SdkConfig,
    config: &DiscoveryConfig,
    retry: &RetryPolicy,
) -> Result<Discovered, DiscoverError> {
    match config.source {
        DiscoverySource::List => Ok(Discovered {
            org_id: String::new(),
            accounts: config
                .accounts
                .iter()
                .map(|id| {
                    let account = Account {
                        account_id: id.clone(),
                        account_name: String::new(),
                        ou_path: String::new(),
                        ou_id_path: String::new(),
                        org_id: String::new(),
                    };
                    (account, "ACTIVE".to_owned())
                })
                .collect(),
        }),
        DiscoverySource::Organizations => organization_accounts(&Client::new(sdk), retry).await,
    }
}

fn org_error(api: &'static str) -> impl FnOnce(AwsError) -> DiscoverError {
    move |error| DiscoverError::Organizations { api, error }
}

async fn organization_accounts(client: &Client, retry: &RetryPolicy) -> Result<Discovered, DiscoverError> {
    let org =
        retry_sdk(retry, || client.describe_organization().send()).await.map_err(org_error("DescribeOrganization"))?;
    let org_id = org.organization().and_then(|o| o.id()).unwrap_or_default().to_owned();

    let mut listed = Vec::new();
    let mut next = None;
    loop {
        let request = client.list_accounts().max_results(20).set_next_token(next.take());
        let page = retry_sdk(retry, || request.clone().send()).await.map_err(org_error("ListAccounts"))?;
        for account in page.accounts() {
            let Some(id) = account.id() else { continue };
            // `State` replaces the deprecated `Status`; read whichever is there.
            let state = match (account.state(), account.status()) {
                (Some(state), _) => state.as_str().to_owned(),
                (None, Some(status)) => status_as_state(status).to_owned(),
                (None, None) => "UNKNOWN".to_owned(),
            };
            listed.push((id.to_owned(), account.name().unwrap_or_default().to_owned(), state));
        }
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => break,
        }
    }

    let placement = ou_placement(client, retry).await?;
    let accounts = listed
        .into_iter()
        .map(|(account_id, account_name, state)| {
            let (ou_path, ou_id_path) = placement.get(&account_id).cloned().unwrap_or_default();
            let account = Account { account_id, account_name, ou_path, ou_id_path, org_id: org_id.clone() };
            (account, state)
        })
        .collect();
    Ok(Discovered { org_id, accounts })
}

fn status_as_state(status: &AccountStatus) -> &str {
    match status {
        AccountStatus::Active => AccountState::Active.as_str(),
        other => other.as_str(),
    }
}

/// Maps every account id to its (name path, id path) by walking the OU tree.
async fn ou_placement(
    client: &Client,
    retry: &RetryPolicy,
) -> Result<HashMap<String, (String, String)>, DiscoverError> {
    let roots = retry_sdk(retry, || client.list_roots().send()).await.map_err(org_error("ListRoots"))?;
    let mut placement = HashMap::new();
    // (parent id, name path, id path), depth first.
    let mut pending: Vec<(String, String, String)> = roots
        .roots()
        .iter()
        .filter_map(|r| r.id())
        .map(|id| (id.to_owned(), "Root".to_owned(), id.to_owned()))
        .collect();
    while let Some((parent_id, name_path, id_path)) = pending.pop() {
        let mut next = None;
        loop {
            let request =
                client.list_accounts_for_parent().parent_id(&parent_id).max_results(20).set_next_token(next.take());
            let page = retry_sdk(retry, || request.clone().send()).await.map_err(org_error("ListAccountsForParent"))?;
            for account in page.accounts() {
                if let Some(id) = account.id() {
                    placement.insert(id.to_owned(), (name_path.clone(), id_path.clone()));
                }
            }
            match page.next_token() {
                Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                _ => break,
            }
        }
        let mut next = None;
        loop {
            let request = client
                .list_organizational_units_for_parent()
                .parent_id(&parent_id)
                .max_results(20)
                .set_next_token(next.take());
            let page = retry_sdk(retry, || request.clone().send())
                .await
                .map_err(org_error("ListOrganizationalUnitsForParent"))?;
            for ou in page.organizational_units() {
                if let (Some(id), Some(name)) = (ou.id(), ou.name()) {
                    pending.push((id.to_owned(), format!("{name_path}/{name}"), format!("{id_path}/{id}")));
                }
            }
            match page.next_token() {
                Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                _ => break,
            }
        }
    }
    Ok(placement)
}

/// Why an account is not scanned, for the log and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    NotActive,
    NotIncluded,
    Excluded,
}

/// Applies the ACTIVE-only rule and the include/exclude filters.
pub fn select(discovered: &Discovered, config: &DiscoveryConfig) -> (Vec<Account>, Vec<(Account, Skipped)>) {
    let mut selected = Vec::new();
    let mut skipped = Vec::new();
    for (account, state) in &discovered.accounts {
        match verdict(account, state, config) {
            Some((reason, _)) => skipped.push((account.clone(), reason)),
            None => selected.push(account.clone()),
        }
    }
    (selected, skipped)
}

/// Why `account` (in Organizations state `state`) is not scanned under
/// `config`, naming the filter; none when it is scanned.
pub fn why_skipped(account: &Account, state: &str, config: &DiscoveryConfig) -> Option<String> {
    verdict(account, state, config).map(|(_, why)| why)
}

/// The one place the ACTIVE-only rule and the filters are applied.
fn verdict(account: &Account, state: &str, config: &DiscoveryConfig) -> Option<(Skipped, String)> {
    if state != "ACTIVE" {
        return Some((Skipped::NotActive, format!("not ACTIVE ({state})")));
    }
    if config.exclude_accounts.contains(&account.account_id) {
        return Some((Skipped::Excluded, "excluded by discovery.exclude_accounts (--exclude-accounts)".to_owned()));
    }
    if let Some(ou) = config.exclude_ous.iter().find(|ou| under_ou(account, ou)) {
        return Some((Skipped::Excluded, format!("excluded by discovery.exclude_ous (--exclude-ous) {ou}")));
    }
    let filtered = !config.include_accounts.is_empty() || !config.include_ous.is_empty();
    if filtered
        && !config.include_accounts.contains(&account.account_id)
        && !config.include_ous.iter().any(|ou| under_ou(account, ou))
    {
        return Some((
            Skipped::NotIncluded,
            "not in discovery.include_ous / include_accounts (--include-ous, --include-accounts)".to_owned(),
        ));
    }
    None
}

/// What a scan would cover, without collecting anything.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Coverage {
    pub caller_arn: String,
    pub org_id: String,
    /// The regions each account would be scanned in; empty: every region enabled in it.
    pub regions: Vec<String>,
    pub services: Vec<String>,
    pub accounts: Vec<CoveredAccount>,
    pub skipped: Vec<SkippedAccount>,
}

/// An account a scan would enter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CoveredAccount {
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    /// The role it would assume there.
    pub role_arn: String,
}

/// An account a scan would leave out, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedAccount {
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub reason: String,
}

impl Coverage {
    /// What `keyaudit accounts` prints.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let regions = if self.regions.is_empty() { "every enabled region".to_owned() } else { self.regions.join(", ") };
        let _ = writeln!(out, "caller        {}", self.caller_arn);
        if !self.org_id.is_empty() {
            let _ = writeln!(out, "organisation  {}", self.org_id);
        }
        let _ = writeln!(out, "regions       {regions}");
        let _ = writeln!(out, "services      {}", self.services.join(", "));
        let _ = writeln!(out, "\n{} accounts would be scanned:", self.accounts.len());
        for a in &self.accounts {
            let _ = writeln!(out, "  {}  {:<24}  {:<28}  {}", a.account_id, a.account_name, a.ou_path, a.role_arn);
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\n{} accounts would not:", self.skipped.len());
            for a in &self.skipped {
                let _ = writeln!(out, "  {}  {:<24}  {:<28}  {}", a.account_id, a.account_name, a.ou_path, a.reason);
            }
        }
        out
    }
}

/// True if the account sits in `ou` or below it. `ou` is an OU or root id, or
/// a name path from the root.
fn under_ou(account: &Account, ou: &str) -> bool {
    let prefix_of = |path: &str| path == ou || path.starts_with(&format!("{ou}/"));
    if ou.starts_with("ou-") || ou.starts_with("r-") {
        account.ou_id_path.split('/').any(|id| id == ou)
    } else {
        prefix_of(&account.ou_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, ou_path: &str, ou_id_path: &str) -> Account {
        Account {
            account_id: id.into(),
            account_name: String::new(),
            ou_path: ou_path.into(),
            ou_id_path: ou_id_path.into(),
            org_id: "o-1".into(),
        }
    }

    fn discovered() -> Discovered {
        Discovered {
            org_id: "o-1".into(),
            accounts: vec![
                (account("111111111111", "Root", "r-1"), "ACTIVE".into()),
                (account("222222222222", "Root/Workloads/Prod", "r-1/ou-1-w/ou-1-p"), "ACTIVE".into()),
                (account("333333333333", "Root/Workloads/Dev", "r-1/ou-1-w/ou-1-d"), "ACTIVE".into()),
                (account("444444444444", "Root/Workloads/Dev", "r-1/ou-1-w/ou-1-d"), "SUSPENDED".into()),
                (account("555555555555", "Root/WorkloadsX", "r-1/ou-1-x"), "ACTIVE".into()),
            ],
        }
    }

    fn ids(accounts: &[Account]) -> Vec<&str> {
        accounts.iter().map(|a| a.account_id.as_str()).collect()
    }

    #[test]
    fn only_active_accounts() {
        let (selected, skipped) = select(&discovered(), &DiscoveryConfig::default());
        assert_eq!(ids(&selected), ["111111111111", "222222222222", "333333333333", "555555555555"]);
        assert_eq!(skipped[0].1, Skipped::NotActive);
    }

    #[test]
    fn include_ou_by_name_path_is_a_path_prefix_not_a_string_prefix() {
        let config = DiscoveryConfig { include_ous: vec!["Root/Workloads".into()], ..Default::default() };
        let (selected, _) = select(&discovered(), &config);
        assert_eq!(ids(&selected), ["222222222222", "333333333333"]);
    }

    #[test]
    fn exclude_wins_over_include() {
        let config = DiscoveryConfig {
            include_ous: vec!["ou-1-w".into()],
            exclude_ous: vec!["ou-1-d".into()],
            include_accounts: vec!["111111111111".into()],
            exclude_accounts: vec!["111111111111".into()],
            ..Default::default()
        };
        let (selected, _) = select(&discovered(), &config);
        assert_eq!(ids(&selected), ["222222222222"]);
    }
}
