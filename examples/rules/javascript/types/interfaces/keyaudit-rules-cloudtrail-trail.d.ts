/** @module Interface keyaudit:rules/cloudtrail-trail@0.3.2 **/
/**
 * The trails of every scanned region of the account.
 */
export function list(): Array<CloudtrailTrail>;
export interface CloudtrailTrail {
  arn: string,
  /**
   * The region this record is about (where the trail applies).
   */
  region: string,
  name: string,
  /**
   * The region the trail was created in.
   */
  homeRegion?: string,
  multiRegion?: boolean,
  /**
   * A trail of the organisation (created in its management account).
   */
  organizationTrail?: boolean,
  /**
   * The KMS key (an ARN) encrypting the log files; none when the
   * trail uses S3's own encryption.
   */
  kmsKeyId?: string,
  logFileValidation?: boolean,
  s3Bucket?: string,
  /**
   * "status": whether the trail is logging now.
   */
  logging?: boolean,
  /**
   * "status": when it last delivered log files to S3.
   */
  latestDelivery?: bigint,
  /**
   * "status": the last delivery error, when there was one.
   */
  latestDeliveryError?: string,
  /**
   * "event-selectors": which management events it logs: "All",
   * "ReadOnly", "WriteOnly" or "None".
   */
  managementEvents?: string,
  /**
   * "event-selectors": whether KMS's own management events are among
   * them (selectors can leave out `kms.amazonaws.com`).
   */
  kmsEventsLogged?: boolean,
}
