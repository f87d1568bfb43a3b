//! AWS spellings of the KMS enums, for messages and evidence ("PendingDeletion",
//! "SYMMETRIC_DEFAULT", …). Values this contract version does not know come
//! as `other` and keep AWS's spelling.

use crate::{KeyManager, KeyOrigin, KeySpec, KeyState, KeyUsage, MultiRegionKeyType};

/// An AWS enum value as AWS spells it.
pub trait AwsName {
    fn aws_name(&self) -> &str;
}

macro_rules! aws_names {
    ($type:ident { $($case:ident => $name:literal),* $(,)? }) => {
        impl AwsName for $type {
            fn aws_name(&self) -> &str {
                match self {
                    $($type::$case => $name,)*
                    $type::Other(name) => name,
                }
            }
        }
    };
}

aws_names!(KeyManager { Aws => "AWS", Customer => "CUSTOMER" });
aws_names!(KeyState {
    Creating => "Creating",
    Enabled => "Enabled",
    Disabled => "Disabled",
    PendingDeletion => "PendingDeletion",
    PendingImport => "PendingImport",
    PendingReplicaDeletion => "PendingReplicaDeletion",
    Unavailable => "Unavailable",
    Updating => "Updating",
});
aws_names!(KeyUsage {
    EncryptDecrypt => "ENCRYPT_DECRYPT",
    SignVerify => "SIGN_VERIFY",
    GenerateVerifyMac => "GENERATE_VERIFY_MAC",
    KeyAgreement => "KEY_AGREEMENT",
});
aws_names!(KeySpec {
    SymmetricDefault => "SYMMETRIC_DEFAULT",
    Rsa2048 => "RSA_2048",
    Rsa3072 => "RSA_3072",
    Rsa4096 => "RSA_4096",
    EccNistP256 => "ECC_NIST_P256",
    EccNistP384 => "ECC_NIST_P384",
    EccNistP521 => "ECC_NIST_P521",
    EccSecgP256k1 => "ECC_SECG_P256K1",
    EccNistEdwards25519 => "ECC_NIST_EDWARDS25519",
    Hmac224 => "HMAC_224",
    Hmac256 => "HMAC_256",
    Hmac384 => "HMAC_384",
    Hmac512 => "HMAC_512",
    Sm2 => "SM2",
    MlDsa44 => "ML_DSA_44",
    MlDsa65 => "ML_DSA_65",
    MlDsa87 => "ML_DSA_87",
});
aws_names!(KeyOrigin {
    AwsKms => "AWS_KMS",
    External => "EXTERNAL",
    AwsCloudhsm => "AWS_CLOUDHSM",
    ExternalKeyStore => "EXTERNAL_KEY_STORE",
});
aws_names!(MultiRegionKeyType { Primary => "PRIMARY", Replica => "REPLICA" });
