/** @module Interface keyaudit:rules/service-control-policy@0.3.2 **/
/**
 * Every service control policy of the organisation.
 */
export function list(): Array<ServiceControlPolicy>;
/**
 * Where a policy is attached.
 */
export interface PolicyTarget {
  /**
   * A root (`r-…`), OU (`ou-…`) or account id.
   */
  targetId: string,
  /**
   * "ROOT", "ORGANIZATIONAL_UNIT" or "ACCOUNT".
   */
  targetType: string,
  name: string,
}
export interface ServiceControlPolicy {
  arn: string,
  /**
   * Its id (`p-…`).
   */
  id: string,
  name: string,
  description?: string,
  /**
   * An AWS managed policy such as FullAWSAccess.
   */
  awsManaged?: boolean,
  /**
   * "document": the policy's JSON text.
   */
  document?: string,
  /**
   * "targets": every root, OU and account it is attached to.
   */
  targets?: Array<PolicyTarget>,
  /**
   * "targets": where it is attached on the path from the root to the
   * evaluated account (the root, OUs, the account itself), from the
   * root down; empty when it does not apply to that account. None
   * when the targets or the account's place in the organisation are
   * unknown.
   */
  attachedOnPath?: Array<PolicyTarget>,
}
