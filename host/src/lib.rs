//! keyaudit: an org-wide, multi-account, multi-region auditor of key
//! management on AWS.
//!
//! One run discovers the accounts of an AWS Organization ([`discover`]),
//! assumes a read-only audit role in each ([`credentials`]), collects key
//! inventory per account × region × service ([`collect`]) within request-rate
//! and concurrency limits, and writes Parquet tables for Athena ([`output`]).
//! [`pipeline::run`] ties the stages together; `ARCHITECTURE.md` maps the code.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use keyaudit::config::Config;
//! use keyaudit::progress::Progress;
//!
//! let mut config = Config::from_toml(r#"
//!     [scan]
//!     regions = ["us-east-1"]
//!     [output]
//!     destinations = ["./keyaudit-out"]
//! "#)?;
//! config.role.name = "KeyAuditRole".into();
//! let summary = keyaudit::pipeline::run(config.validate()?, &Progress::new(false)).await?;
//! println!("{}", summary.to_text());
//! # Ok(()) }
//! ```

pub mod aws;
pub mod cli;
pub mod collect;
pub mod config;
pub mod credentials;
pub mod discover;
pub mod evaluate;
pub mod inventory;
pub mod kinds;
pub mod ksi;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod regions;
pub mod report;
pub mod rules;
pub mod summary;
