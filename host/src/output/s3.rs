//! S3 destination: checks the bucket before a scan starts and uploads finished
//! table files with the configured encryption and expected bucket owner.

use std::path::Path;

use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;

use crate::aws::{AwsError, AwsResultExt};

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
}

/// How objects are written.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    pub expected_bucket_owner: Option<String>,
    pub sse: Option<String>,
    pub sse_kms_key_id: Option<String>,
}

/// A bucket to write to.
#[derive(Debug, Clone)]
pub struct S3Writer {
    client: Client,
    settings: S3Settings,
}

impl S3Writer {
    /// Uses path-style addressing, which every S3-compatible endpoint accepts.
    pub fn new(sdk: &SdkConfig, settings: S3Settings) -> Self {
        let config = aws_sdk_s3::config::Builder::from(sdk).force_path_style(sdk.endpoint_url().is_some()).build();
        Self { client: Client::from_conf(config), settings }
    }

    /// Fails early, before any scanning, if the bucket is missing or not ours to write.
    pub async fn check_bucket(&self, bucket: &str) -> Result<(), S3Error> {
        self.client
            .head_bucket()
            .bucket(bucket)
            .set_expected_bucket_owner(self.settings.expected_bucket_owner.clone())
            .send()
            .await
            .aws()
            .map(|_| ())
            .map_err(|source| {
                let source = match source.code.as_str() {
                    "HTTP 404" | "NotFound" | "NoSuchBucket" => {
                        AwsError { code: "NoSuchBucket".into(), message: "the bucket does not exist".into() }
                    }
                    _ => source,
                };
                S3Error::Bucket { bucket: bucket.to_owned(), source }
            })
    }

    /// Copies every object under `s3://bucket/prefix/` into `dest`, keeping the key
    /// layout below the prefix; returns how many objects were copied.
    pub async fn download_prefix(&self, bucket: &str, prefix: &str, dest: &Path) -> Result<usize, S3Error> {
        let list_prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
        let fail =
            |key: &str, message: String| S3Error::Download { bucket: bucket.to_owned(), key: key.to_owned(), message };
        let mut copied = 0;
        let mut token = None;
        loop {
            let page = self
                .client
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
                let body = self
                    .client
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
        let body = ByteStream::from_path(file)
            .await
            .map_err(|e| S3Error::ReadFile { path: file.display().to_string(), message: e.to_string() })?;
        self.client
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
