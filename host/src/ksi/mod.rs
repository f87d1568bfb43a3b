//! The FedRAMP 20x KSI-SVC-06 scorecard ("use automated key management
//! systems to manage, protect, and regularly rotate digital keys and
//! certificates"), per account and for the organisation, from the
//! inventory of a scan.
//!
//! Seed 000's eleven sub-checks ([`checks::SUB_CHECKS`]) each count one
//! kind's records; the organisation's count is the sum of its accounts'.
//! A sub-check whose data could not be read in an account is ERROR for that
//! account and for the organisation, never PASS. The overall line scores
//! the share of sub-checks that PASS, rounded down (seed 000: 10 PASS and
//! 1 INFO of 11 is 90%), graded by [`GRADES`]. Computed once per scan and
//! written as the `ksi_scores` table, which the report and Athena read.

pub mod checks;

use serde::{Deserialize, Serialize};

use crate::inventory::KindInfo;
use crate::kinds::Inventory;
use checks::SUB_CHECKS;

/// The KSI's id, as FedRAMP 20x names it.
pub const KSI_ID: &str = "KSI-SVC-06";

/// The `sub_check` of the overall line.
pub const OVERALL: &str = "overall";

/// The grade bands: the first whose floor the score reaches. The overall
/// line PASSes from [`PASSING_SCORE`].
pub const GRADES: [(i64, &str); 4] = [
    (90, "Enterprise-grade comprehensive automated key management governance with rotation"),
    (75, "Advanced automated key management with partial governance"),
    (50, "Basic automated key management with significant gaps"),
    (0, "Insufficient automated key management"),
];

/// The lowest score at which the overall line is PASS.
pub const PASSING_SCORE: i64 = 75;

/// A sub-check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Info,
    Fail,
    /// Its data could not be read: neither PASS nor FAIL.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Info => "INFO",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
        }
    }
}

/// A sub-check's count: what it counts out of what (keys customer-managed
/// of all keys, secrets rotating of all secrets, …) and one more figure
/// some sub-checks name (pending certificates, truncated event windows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub numerator: i64,
    pub denominator: i64,
    pub other: i64,
}

impl Count {
    fn of(numerator: usize, denominator: usize) -> Self {
        Count { numerator: numerator as i64, denominator: denominator as i64, other: 0 }
    }

    /// The numerator's share of the denominator, rounded down; none of nothing.
    pub fn percent(&self) -> Option<i64> {
        (self.denominator > 0).then(|| self.numerator * 100 / self.denominator)
    }

    fn add(&mut self, other: &Count) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
        self.other += other.other;
    }
}

/// A sub-check's count in an account, or in every account summed; unknown
/// once any account's is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Measure {
    Known(Count),
    Unknown { reason: String, accounts: i64 },
}

/// The sub-checks' counts in one account, or summed over accounts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    measures: Vec<Measure>,
    accounts: i64,
}

impl Tally {
    /// Counts one account's inventory (`own`), with the organisation-level
    /// records every account shares (`shared`), as of the run's start.
    pub fn of_account(own: &Inventory, shared: &Inventory, as_of: i64) -> Tally {
        let measures = SUB_CHECKS
            .iter()
            .map(|check| {
                let Some(kind) = crate::kinds::by_name(check.kind) else {
                    return Measure::Unknown {
                        reason: format!("{} is not a kind (a keyaudit bug)", check.kind),
                        accounts: 1,
                    };
                };
                let info = kind.info();
                let source = if info.level == crate::inventory::Level::Organisation { shared } else { own };
                match gap(info, source).map_or_else(|| (check.count)(source, as_of), Err) {
                    Ok(count) => Measure::Known(count),
                    Err(reason) => Measure::Unknown { reason, accounts: 1 },
                }
            })
            .collect();
        Tally { measures, accounts: 1 }
    }

    /// Adds another account's (or tally's) counts to these.
    pub fn add(&mut self, other: &Tally) {
        if self.measures.is_empty() {
            *self = other.clone();
            return;
        }
        self.accounts += other.accounts;
        for (mine, theirs) in self.measures.iter_mut().zip(&other.measures) {
            match (&mut *mine, theirs) {
                (Measure::Known(a), Measure::Known(b)) => a.add(b),
                (Measure::Unknown { accounts, .. }, Measure::Unknown { accounts: more, .. }) => *accounts += more,
                (Measure::Unknown { .. }, Measure::Known(_)) => {}
                (Measure::Known(_), Measure::Unknown { .. }) => *mine = theirs.clone(),
            }
        }
    }

    /// The scorecard of these counts: one line per sub-check, then the overall line.
    pub fn scorecard(&self) -> Scorecard {
        let mut lines: Vec<Line> = SUB_CHECKS
            .iter()
            .zip(&self.measures)
            .map(|(check, measure)| match measure {
                Measure::Known(count) => {
                    let (status, figure) = (check.judge)(count);
                    Line {
                        sub_check: check.id.to_owned(),
                        title: check.title.to_owned(),
                        status,
                        figure,
                        numerator: Some(count.numerator),
                        denominator: Some(count.denominator),
                    }
                }
                Measure::Unknown { reason, accounts } => Line {
                    sub_check: check.id.to_owned(),
                    title: check.title.to_owned(),
                    status: Status::Error,
                    figure: if self.accounts > 1 {
                        format!("Not known in {accounts} of {} accounts: {reason}", self.accounts)
                    } else {
                        format!("Not known: {reason}")
                    },
                    numerator: None,
                    denominator: None,
                },
            })
            .collect();
        lines.push(overall(&lines));
        Scorecard { lines }
    }
}

/// Why a kind's records in `inventory` cannot be counted, if they cannot:
/// the kind was not collected, or a listing API failed somewhere.
fn gap(info: &KindInfo, inventory: &Inventory) -> Option<String> {
    if inventory.set(info.name).is_none() {
        return Some(match inventory.errors.iter().find(|e| e.service == info.service) {
            Some(error) => format!("{} could not be collected ({} {})", info.title, error.api, error.error_code),
            None => format!(
                "{} were not collected (not in scan.services, or read only for rules with output.inventory off)",
                info.title
            ),
        });
    }
    inventory.errors.iter().find(|e| info.listing.contains(&e.api.as_str())).map(|error| {
        format!(
            "{} failed in {} ({}), so which {} exist is unknown",
            error.api, error.region, error.error_code, info.title
        )
    })
}

/// The overall line: the share of sub-checks that PASS, and its grade.
fn overall(lines: &[Line]) -> Line {
    let passed = lines.iter().filter(|l| l.status == Status::Pass).count() as i64;
    let total = lines.len() as i64;
    let unknown = lines.iter().filter(|l| l.status == Status::Error).count();
    let score = if total == 0 { 0 } else { passed * 100 / total };
    let grade = GRADES.iter().find(|(floor, _)| score >= *floor).map_or("", |(_, grade)| grade);
    let (status, figure) = if unknown > 0 {
        (
            Status::Error,
            format!("Incomplete: {unknown} of {total} sub-checks could not be evaluated (at least {score}%)"),
        )
    } else {
        (if score >= PASSING_SCORE { Status::Pass } else { Status::Fail }, format!("{grade} ({score}%)"))
    };
    Line {
        sub_check: OVERALL.to_owned(),
        title: KSI_ID.to_owned(),
        status,
        figure,
        numerator: Some(passed),
        denominator: Some(total),
    }
}

/// One line of a scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub sub_check: String,
    pub title: String,
    pub status: Status,
    pub figure: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
}

/// A KSI-SVC-06 scorecard: the sub-checks, then the overall line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub lines: Vec<Line>,
}

impl Scorecard {
    /// The overall line.
    pub fn overall(&self) -> Option<&Line> {
        self.lines.iter().find(|l| l.sub_check == OVERALL)
    }

    /// Seed 000's text form: the overall line, then each sub-check.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        if let Some(overall) = self.overall() {
            text.push_str(&format!("{} {}: {}\n", overall.status.as_str(), overall.title, overall.figure));
        }
        for line in self.lines.iter().filter(|l| l.sub_check != OVERALL) {
            text.push_str(&format!("- {} {}: {}\n", line.status.as_str(), line.title, line.figure));
        }
        text
    }

    /// Its rows of the `ksi_scores` table; `account` is none for the organisation's.
    pub fn rows(&self, run_id: &str, account: Option<&crate::inventory::Account>) -> Vec<KsiScore> {
        self.lines
            .iter()
            .map(|line| KsiScore {
                run_id: run_id.to_owned(),
                ksi: KSI_ID.to_owned(),
                scope: if account.is_some() { "account" } else { "organisation" }.to_owned(),
                account_id: account.map(|a| a.account_id.clone()),
                account_name: account.map(|a| a.account_name.clone()),
                ou_path: account.map(|a| a.ou_path.clone()),
                sub_check: line.sub_check.clone(),
                title: line.title.clone(),
                status: line.status.as_str().to_owned(),
                figure: line.figure.clone(),
                numerator: line.numerator,
                denominator: line.denominator,
            })
            .collect()
    }
}

/// One row of the `ksi_scores` table: a sub-check (or the overall line) of
/// an account's or the organisation's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KsiScore {
    pub run_id: String,
    /// `KSI-SVC-06`.
    pub ksi: String,
    /// `account` or `organisation`.
    pub scope: String,
    /// None for the organisation's rows.
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub ou_path: Option<String>,
    /// The sub-check's id (`kms-keys`, …), or `overall`.
    pub sub_check: String,
    pub title: String,
    /// PASS, INFO, FAIL, or ERROR when its data could not be read.
    pub status: String,
    /// The figure as seed 000 words it ("1/1 secrets with automatic rotation (100%)").
    pub figure: String,
    /// What was counted; none when unknown. For the overall line, the sub-checks that PASS.
    pub numerator: Option<i64>,
    /// Out of what; none when unknown. For the overall line, the sub-checks.
    pub denominator: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(status: Status) -> Line {
        Line {
            sub_check: "x".into(),
            title: "x".into(),
            status,
            figure: String::new(),
            numerator: None,
            denominator: None,
        }
    }

    #[test]
    fn seed_000_scores_ten_passes_and_one_info_of_eleven_as_90_percent_enterprise_grade() {
        let mut lines = vec![line(Status::Pass); 10];
        lines.push(line(Status::Info));
        let overall = overall(&lines);
        assert_eq!(overall.status, Status::Pass);
        assert_eq!(
            overall.figure,
            "Enterprise-grade comprehensive automated key management governance with rotation (90%)"
        );
        assert_eq!((overall.numerator, overall.denominator), (Some(10), Some(11)));
    }

    #[test]
    fn an_unknown_sub_check_makes_the_overall_line_an_error_never_a_pass() {
        let mut lines = vec![line(Status::Pass); 10];
        lines.push(line(Status::Error));
        let overall = overall(&lines);
        assert_eq!(overall.status, Status::Error);
        assert!(overall.figure.contains("1 of 11 sub-checks could not be evaluated"), "{}", overall.figure);
    }

    #[test]
    fn grades_follow_the_bands() {
        let score = |passes: usize| {
            let mut lines = vec![line(Status::Pass); passes];
            lines.extend(vec![line(Status::Fail); 11 - passes]);
            overall(&lines)
        };
        assert!(score(9).figure.starts_with("Advanced"), "9/11 = 81%");
        assert_eq!(score(9).status, Status::Pass);
        assert!(score(6).figure.starts_with("Basic"), "6/11 = 54%");
        assert_eq!(score(6).status, Status::Fail);
        assert!(score(2).figure.starts_with("Insufficient"));
    }

    #[test]
    fn one_unknown_account_makes_the_organisations_sub_check_unknown() {
        let known = Tally { measures: vec![Measure::Known(Count::of(1, 1)); 11], accounts: 1 };
        let mut unknown = known.clone();
        unknown.measures[4] = Measure::Unknown { reason: "secretsmanager:ListSecrets failed".into(), accounts: 1 };
        let mut organisation = Tally::default();
        organisation.add(&known);
        organisation.add(&unknown);
        organisation.add(&known);
        let card = organisation.scorecard();
        assert_eq!(card.lines[0].numerator, Some(3));
        assert_eq!(card.lines[4].status, Status::Error);
        assert_eq!(card.lines[4].figure, "Not known in 1 of 3 accounts: secretsmanager:ListSecrets failed");
    }
}
