/** @module Interface keyaudit:rules/kms-key-usage@0.3.2 **/
/**
 * For each key of `kms-key.list()`, at the same position: its usage;
 * none where it was not read (AWS managed keys) or could not be read.
 */
export function usage(): Array<KeyLastUsage | undefined>;
export interface KeyLastUsage {
  /**
   * When KMS began recording this key's cryptographic use (the key's
   * creation, or the start of tracking, whichever is later).
   */
  trackingStart: bigint,
  /**
   * The last successful cryptographic use since then; none when the
   * key has not been used since tracking began.
   */
  lastUsed?: bigint,
  /**
   * That use's operation, such as "Decrypt".
   */
  operation?: string,
  /**
   * That use's CloudTrail event id.
   */
  cloudtrailEventId?: string,
}
