//! Where each service exists, from `service-regions.toml` (a data file, as
//! CloudQuery keeps one): a region without the service is not collected and
//! is not a collection error.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceRegions {
    regions: BTreeSet<String>,
    absent: BTreeMap<String, BTreeSet<String>>,
}

impl ServiceRegions {
    fn exists(&self, service: &str, region: &str) -> bool {
        !self.regions.contains(region) || self.absent.get(service).is_none_or(|absent| !absent.contains(region))
    }
}

static SERVICE_REGIONS: LazyLock<ServiceRegions> = LazyLock::new(|| {
    // Checked by a unit test, so a malformed file never ships.
    toml::from_str(include_str!("service-regions.toml")).unwrap_or_default()
});

/// Whether the AWS service `service` (an endpoint prefix such as `acm`)
/// exists in `region`. Regions newer than the data file are assumed to have
/// every service.
pub fn service_exists(service: &str, region: &str) -> bool {
    SERVICE_REGIONS.exists(service, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_names_only_kinds_services() {
        let parsed: ServiceRegions = toml::from_str(include_str!("service-regions.toml")).unwrap();
        assert!(parsed.regions.contains("us-east-1"));
        for absent in parsed.absent.values() {
            assert!(absent.is_subset(&parsed.regions), "absent regions are known regions");
        }
        let services: Vec<&str> = crate::kinds::infos().iter().map(|k| k.aws_service).collect();
        for service in parsed.absent.keys() {
            assert!(services.contains(&service.as_str()), "{service} in service-regions.toml is a kind's service");
        }
    }

    #[test]
    fn absent_known_regions_are_skipped_and_unknown_regions_are_collected() {
        let data: ServiceRegions =
            toml::from_str("regions = [\"us-east-1\", \"eu-west-1\"]\n[absent]\nacm = [\"eu-west-1\"]\n").unwrap();
        assert!(data.exists("acm", "us-east-1"));
        assert!(!data.exists("acm", "eu-west-1"), "a known region without the service");
        assert!(data.exists("acm", "xx-new-1"), "a region newer than the file is collected");
        assert!(data.exists("kms", "eu-west-1"), "a service with no absent list exists everywhere known");
    }
}
