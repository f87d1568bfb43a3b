/** @module Interface keyaudit:rules/cloudformation-stack@0.3.2 **/
/**
 * The account's stacks, every scanned region.
 */
export function list(): Array<CloudformationStack>;
export interface CloudformationStack {
  /**
   * The stack's id, an ARN.
   */
  arn: string,
  region: string,
  name: string,
  /**
   * Such as "CREATE_COMPLETE", "UPDATE_COMPLETE", "ROLLBACK_COMPLETE",
   * "UPDATE_ROLLBACK_FAILED", "CREATE_IN_PROGRESS".
   */
  status?: string,
  statusReason?: string,
  /**
   * "IN_SYNC", "DRIFTED", "NOT_CHECKED" or "UNKNOWN".
   */
  driftStatus?: string,
  created?: bigint,
  lastUpdated?: bigint,
  /**
   * "resources": the ids of the KMS keys (`AWS::KMS::Key`) it manages.
   */
  kmsKeyIds?: Array<string>,
}
