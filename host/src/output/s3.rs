//! S3 destination: checks the bucket before a scan starts and uploads finished
//! table files with the configured encryption and expected bucket owner.
//!
//! A bucket may live in another region than the run's home region, and S3
//! answers requests sent to the wrong region with a redirect the SDK does not
//! follow; so each bucket's region is found once (`HeadBucket` reports it, in
//! its output or, on a redirect, in the `x-amz-bucket-region` header) and the
//! bucket is then used through a client in that region.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use aws_config::{Region, SdkConfig};
use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;

use crate::aws::{AwsError, AwsResultExt};

/// Attempts per S3 request.
const S3_ATTEMPTS: u32 = 5;

/// An S3 write or check failed.
#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error(
        "output bucket s3://{bucket} cannot be used: {source}. Check the bucket name, that it exists, and that the \
         caller has s3:ListBucket and s3:PutObject on it (and that expected_bucket_owner is right)"
    )]
    Bucket { bucket: String, source: AwsError },
    #[error("uploading s3://{bucket}/{key}: {source}")]
    Upload { bucket: String, key: String, source: AwsError },
    #[error("reading {path} for upload: {message}")]
    ReadFile { path: String, message: String },
    #[error("downloading s3://{bucket}/{key}: {message}")]
    Download { bucket: String, key: String, message: String },
    #[error(
        "inventory s3://{bucket} cannot be read: {source}. Check the --inventory URI, that the bucket exists, and \
         that the caller has s3:ListBucket and s3:GetObject on it"
    )]
    InventoryBucket { bucket: String, source: AwsError },
}

/// How objects are written.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    pub expected_bucket_owner: Option<String>,
    pub sse: Option<String>,
    pub sse_kms_key_id: Option<String>,
}

/// Reads and writes S3 buckets, each through a client in the bucket's region.
#[derive(Debug)]
pub struct S3Writer {
    sdk: SdkConfig,
    settings: S3Settings,
    clients: Mutex<HashMap<String, Client>>,
}

impl S3Writer {
    pub fn new(sdk: &SdkConfig, settings: S3Settings) -> Self {
        Self { sdk: sdk.clone(), settings, clients: Mutex::new(HashMap::new()) }
    }

    /// A client in `region` (the home region when `None`). Path-style
    /// addressing when an endpoint is set, which every S3-compatible endpoint
    /// accepts. The output bucket is ours, not a customer's quota, so S3 keeps
    /// the SDK's own standard retries.
    fn client_in(&self, region: Option<&str>) -> Client {
        let mut config = aws_sdk_s3::config::Builder::from(&self.sdk)
            .force_path_style(self.sdk.endpoint_url().is_some())
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(S3_ATTEMPTS));
        if let Some(region) = region {
            config = config.region(Region::new(region.to_owned()));
        }
        Client::from_conf(config.build())
    }

    async fn head_bucket(&self, client: &Client, bucket: &str) -> Result<Option<String>, (AwsError, Option<String>)> {
        match client
            .head_bucket()
            .bucket(bucket)
            .set_expected_bucket_owner(self.settings.expected_bucket_owner.clone())
            .send()
            .await
        {
            Ok(out) => Ok(out.bucket_region().map(str::to_owned)),
            Err(err) => {
                let region = err.raw_response().and_then(|r| r.headers().get("x-amz-bucket-region")).map(str::to_owned);
                Err((AwsError::from_sdk(&err), region))
            }
        }
    }

    /// The client for `bucket`, finding the bucket's region on first use.
    /// Fails if the bucket is missing or not ours to use.
    async fn bucket_client(&self, bucket: &str) -> Result<Client, S3Error> {
        if let Some(client) = self.clients.lock().ok().and_then(|c| c.get(bucket).cloned()) {
            return Ok(client);
        }
        let bucket_error = |source: AwsError| {
            let source = match source.code.as_str() {
                "HTTP 404" | "NotFound" | "NoSuchBucket" => AwsError::new("NoSuchBucket", "the bucket does not exist"),
                _ => source,
            };
            S3Error::Bucket { bucket: bucket.to_owned(), source }
        };
        let home = self.client_in(None);
        let home_region = self.sdk.region().map(|r| r.as_ref().to_owned());
        let region = match self.head_bucket(&home, bucket).await {
            Ok(region) => region,
            Err((_, Some(region))) => Some(region),
            Err((source, None)) => return Err(bucket_error(source)),
        };
        let client = match region {
            Some(region) if Some(&region) != home_region.as_ref() => {
                tracing::debug!(bucket, region, "bucket is in another region than the home region");
                let client = self.client_in(Some(&region));
                self.head_bucket(&client, bucket).await.map_err(|(source, _)| bucket_error(source))?;
                client
            }
            _ => home,
        };
        if let Ok(mut clients) = self.clients.lock() {
            clients.insert(bucket.to_owned(), client.clone());
        }
        Ok(client)
    }

    /// Fails early, before any scanning, if the bucket is missing or not ours to write.
    pub async fn check_bucket(&self, bucket: &str) -> Result<(), S3Error> {
        self.bucket_client(bucket).await.map(drop)
    }

    /// Copies every object under `s3://bucket/prefix/` whose key below the
    /// prefix `keep` accepts into `dest`, keeping that layout; returns how
    /// many objects were copied.
    pub async fn download_prefix(
        &self,
        bucket: &str,
        prefix: &str,
        dest: &Path,
        keep: impl Fn(&str) -> bool,
    ) -> Result<usize, S3Error> {
        let list_prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
        let fail =
            |key: &str, message: String| S3Error::Download { bucket: bucket.to_owned(), key: key.to_owned(), message };
        let client = self.bucket_client(bucket).await.map_err(|err| match err {
            S3Error::Bucket { bucket, source } => S3Error::InventoryBucket { bucket, source },
            other => other,
        })?;
        let mut copied = 0;
        let mut token = None;
        loop {
            let page = client
                .list_objects_v2()
                .bucket(bucket)
                .prefix(&list_prefix)
                .set_continuation_token(token.take())
                .set_expected_bucket_owner(self.settings.expected_bucket_owner.clone())
                .send()
                .await
                .aws()
                .map_err(|e| fail(&list_prefix, e.to_string()))?;
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                let Some(relative) = key.strip_prefix(&list_prefix) else { continue };
                if relative.is_empty() || relative.split('/').any(|part| part == ".." || part.is_empty()) {
                    continue;
                }
                if !keep(relative) {
                    continue;
                }
                let body = client
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .set_expected_bucket_owner(self.settings.expected_bucket_owner.clone())
                    .send()
                    .await
                    .aws()
                    .map_err(|e| fail(key, e.to_string()))?;
                let bytes = body.body.collect().await.map_err(|e| fail(key, e.to_string()))?.into_bytes();
                let path = dest.join(relative);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| fail(key, e.to_string()))?;
                }
                std::fs::write(&path, &bytes).map_err(|e| fail(key, e.to_string()))?;
                copied += 1;
            }
            match page.next_continuation_token() {
                Some(next) if page.is_truncated() == Some(true) => token = Some(next.to_owned()),
                _ => return Ok(copied),
            }
        }
    }

    /// Uploads a local file to `s3://bucket/key`.
    pub async fn upload(&self, file: &Path, bucket: &str, key: &str) -> Result<(), S3Error> {
        let client = self.bucket_client(bucket).await?;
        let body = ByteStream::from_path(file)
            .await
            .map_err(|e| S3Error::ReadFile { path: file.display().to_string(), message: e.to_string() })?;
        client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(body)
            .content_type("application/vnd.apache.parquet")
            .set_expected_bucket_owner(self.settings.expected_bucket_owner.clone())
            .set_server_side_encryption(self.settings.sse.as_deref().map(ServerSideEncryption::from))
            .set_ssekms_key_id(self.settings.sse_kms_key_id.clone())
            .send()
            .await
            .aws()
            .map_err(|source| S3Error::Upload { bucket: bucket.to_owned(), key: key.to_owned(), source })?;
        Ok(())
    }
}
