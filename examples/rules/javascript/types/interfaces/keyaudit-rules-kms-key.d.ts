/** @module Interface keyaudit:rules/kms-key@0.3.2 **/
/**
 * The account's KMS keys, every scanned region.
 */
export function list(): Array<KmsKey>;
/**
 * Who manages a KMS key (`KeyManager`).
 */
export type KeyManager = KeyManagerAws | KeyManagerCustomer | KeyManagerOther;
export interface KeyManagerAws {
  tag: 'aws',
}
export interface KeyManagerCustomer {
  tag: 'customer',
}
/**
 * A value this version does not know, as AWS spells it.
 */
export interface KeyManagerOther {
  tag: 'other',
  val: string,
}
/**
 * A KMS key's state (`KeyState`).
 */
export type KeyState = KeyStateCreating | KeyStateEnabled | KeyStateDisabled | KeyStatePendingDeletion | KeyStatePendingImport | KeyStatePendingReplicaDeletion | KeyStateUnavailable | KeyStateUpdating | KeyStateOther;
export interface KeyStateCreating {
  tag: 'creating',
}
export interface KeyStateEnabled {
  tag: 'enabled',
}
export interface KeyStateDisabled {
  tag: 'disabled',
}
export interface KeyStatePendingDeletion {
  tag: 'pending-deletion',
}
export interface KeyStatePendingImport {
  tag: 'pending-import',
}
export interface KeyStatePendingReplicaDeletion {
  tag: 'pending-replica-deletion',
}
export interface KeyStateUnavailable {
  tag: 'unavailable',
}
export interface KeyStateUpdating {
  tag: 'updating',
}
export interface KeyStateOther {
  tag: 'other',
  val: string,
}
/**
 * What a KMS key is for (`KeyUsage`).
 */
export type KeyUsage = KeyUsageEncryptDecrypt | KeyUsageSignVerify | KeyUsageGenerateVerifyMac | KeyUsageKeyAgreement | KeyUsageOther;
export interface KeyUsageEncryptDecrypt {
  tag: 'encrypt-decrypt',
}
export interface KeyUsageSignVerify {
  tag: 'sign-verify',
}
export interface KeyUsageGenerateVerifyMac {
  tag: 'generate-verify-mac',
}
export interface KeyUsageKeyAgreement {
  tag: 'key-agreement',
}
export interface KeyUsageOther {
  tag: 'other',
  val: string,
}
/**
 * A KMS key's type of key material (`KeySpec`).
 */
export type KeySpec = KeySpecSymmetricDefault | KeySpecRsa2048 | KeySpecRsa3072 | KeySpecRsa4096 | KeySpecEccNistP256 | KeySpecEccNistP384 | KeySpecEccNistP521 | KeySpecEccSecgP256k1 | KeySpecEccNistEdwards25519 | KeySpecHmac224 | KeySpecHmac256 | KeySpecHmac384 | KeySpecHmac512 | KeySpecSm2 | KeySpecMlDsa44 | KeySpecMlDsa65 | KeySpecMlDsa87 | KeySpecOther;
export interface KeySpecSymmetricDefault {
  tag: 'symmetric-default',
}
export interface KeySpecRsa2048 {
  tag: 'rsa2048',
}
export interface KeySpecRsa3072 {
  tag: 'rsa3072',
}
export interface KeySpecRsa4096 {
  tag: 'rsa4096',
}
export interface KeySpecEccNistP256 {
  tag: 'ecc-nist-p256',
}
export interface KeySpecEccNistP384 {
  tag: 'ecc-nist-p384',
}
export interface KeySpecEccNistP521 {
  tag: 'ecc-nist-p521',
}
export interface KeySpecEccSecgP256k1 {
  tag: 'ecc-secg-p256k1',
}
export interface KeySpecEccNistEdwards25519 {
  tag: 'ecc-nist-edwards25519',
}
export interface KeySpecHmac224 {
  tag: 'hmac224',
}
export interface KeySpecHmac256 {
  tag: 'hmac256',
}
export interface KeySpecHmac384 {
  tag: 'hmac384',
}
export interface KeySpecHmac512 {
  tag: 'hmac512',
}
export interface KeySpecSm2 {
  tag: 'sm2',
}
export interface KeySpecMlDsa44 {
  tag: 'ml-dsa44',
}
export interface KeySpecMlDsa65 {
  tag: 'ml-dsa65',
}
export interface KeySpecMlDsa87 {
  tag: 'ml-dsa87',
}
export interface KeySpecOther {
  tag: 'other',
  val: string,
}
/**
 * Where a KMS key's material came from (`Origin`).
 */
export type KeyOrigin = KeyOriginAwsKms | KeyOriginExternal | KeyOriginAwsCloudhsm | KeyOriginExternalKeyStore | KeyOriginOther;
export interface KeyOriginAwsKms {
  tag: 'aws-kms',
}
export interface KeyOriginExternal {
  tag: 'external',
}
export interface KeyOriginAwsCloudhsm {
  tag: 'aws-cloudhsm',
}
export interface KeyOriginExternalKeyStore {
  tag: 'external-key-store',
}
export interface KeyOriginOther {
  tag: 'other',
  val: string,
}
/**
 * A multi-Region key's role (`MultiRegionKeyType`).
 */
export type MultiRegionKeyType = MultiRegionKeyTypePrimary | MultiRegionKeyTypeReplica | MultiRegionKeyTypeOther;
export interface MultiRegionKeyTypePrimary {
  tag: 'primary',
}
export interface MultiRegionKeyTypeReplica {
  tag: 'replica',
}
export interface MultiRegionKeyTypeOther {
  tag: 'other',
  val: string,
}
/**
 * A multi-Region key's place among its related keys.
 */
export interface MultiRegionConfiguration {
  keyType?: MultiRegionKeyType,
  primaryArn?: string,
  replicaArns: Array<string>,
}
/**
 * A grant on a KMS key.
 */
export interface KmsGrant {
  grantId: string,
  name?: string,
  granteePrincipal?: string,
  retiringPrincipal?: string,
  issuingAccount?: string,
  operations: Array<string>,
  creationDate?: bigint,
}
/**
 * A KMS key. The fields under "optional groups" are `none` unless the
 * rule reads their group.
 */
export interface KmsKey {
  /**
   * None when DescribeKey could not be read (likewise the other enums).
   */
  keyManager?: KeyManager,
  keyState?: KeyState,
  enabled: boolean,
  keyUsage?: KeyUsage,
  keySpec?: KeySpec,
  origin?: KeyOrigin,
  multiRegion: boolean,
  creationDate?: bigint,
  deletionDate?: bigint,
  validTo?: bigint,
  /**
   * None where rotation does not apply or could not be read.
   */
  rotationEnabled?: boolean,
  rotationPeriodDays?: number,
  nextRotationDate?: bigint,
  lastRotationDate?: bigint,
  /**
   * "last-usage" (0.3.2): the last successful cryptographic use,
   * where KMS knows one; none otherwise (see `kms-key-usage`).
   */
  lastUsedDate?: bigint,
  /**
   * Optional groups.
   * "arn": the key's ARN; its fourth field is the region, its last segment the key id.
   */
  keyArn?: string,
  /**
   * "aliases".
   */
  aliases?: Array<string>,
  /**
   * "description".
   */
  description?: string,
  /**
   * "key-policy": the `default` key policy as JSON.
   */
  keyPolicy?: string,
  /**
   * "grants".
   */
  grants?: Array<KmsGrant>,
  /**
   * "tags".
   */
  tags?: Array<[string, string]>,
  /**
   * "multi-region"; none also for keys that are not multi-Region.
   */
  multiRegionConfiguration?: MultiRegionConfiguration,
}
