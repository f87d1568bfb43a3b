/** @module Interface keyaudit:rules/secret@0.3.2 **/
/**
 * The account's secrets, every scanned region.
 */
export function list(): Array<Secret>;
export interface Secret {
  arn: string,
  region: string,
  name: string,
  description?: string,
  /**
   * The KMS key that encrypts it; none means the AWS-managed key `aws/secretsmanager`.
   */
  kmsKeyId?: string,
  rotationEnabled: boolean,
  /**
   * The rotation rule's interval, when it has one.
   */
  rotationEveryDays?: bigint,
  /**
   * The rotation rule's schedule expression, when it has one.
   */
  rotationSchedule?: string,
  lastRotated?: bigint,
  /**
   * AWS records the date only (midnight UTC).
   */
  lastAccessed?: bigint,
  lastChanged?: bigint,
  nextRotation?: bigint,
  created?: bigint,
  /**
   * The AWS service that manages the secret (such as "rds"), if any.
   */
  owningService?: string,
  primaryRegion?: string,
  /**
   * "replication": the regions it is replicated to.
   */
  replicaRegions?: Array<string>,
  tags: Array<[string, string]>,
  /**
   * "resource-policy": the resource policy as JSON; none when the
   * secret has none (or the group was not read).
   */
  resourcePolicy?: string,
}
