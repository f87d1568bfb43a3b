/** @module Interface keyaudit:rules/cloudtrail-key-activity@0.3.2 **/
/**
 * One record per scanned region whose history could be read.
 */
export function list(): Array<CloudtrailKeyActivity>;
/**
 * A key-management event (CreateKey, ScheduleKeyDeletion, DisableKey,
 * PutKeyPolicy, EnableKeyRotation, ImportKeyMaterial, …).
 */
export interface KeyEvent {
  eventId: string,
  eventName: string,
  eventTime?: bigint,
  username?: string,
  /**
   * The key's ARN, when CloudTrail names one.
   */
  keyArn?: string,
}
/**
 * How often a key was used in the window.
 */
export interface KeyUseCount {
  keyArn: string,
  decrypt: bigint,
  /**
   * `Encrypt` and `GenerateDataKey*`.
   */
  encrypt: bigint,
  reEncrypt: bigint,
}
export interface CloudtrailKeyActivity {
  region: string,
  windowStart: bigint,
  windowEnd: bigint,
  /**
   * The page cap stopped the read: the events and counts are the
   * newest ones only (counts are lower bounds).
   */
  truncated: boolean,
  /**
   * Newest first.
   */
  keyEvents: Array<KeyEvent>,
  usage: Array<KeyUseCount>,
}
