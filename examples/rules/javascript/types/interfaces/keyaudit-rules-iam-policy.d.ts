/** @module Interface keyaudit:rules/iam-policy@0.3.2 **/
export function list(): Array<IamPolicy>;
/**
 * One statement of the policy that names a KMS action (or `*`).
 */
export interface KmsStatement {
  sid?: string,
  /**
   * "Allow" or "Deny".
   */
  effect: string,
  /**
   * The statement's actions that can match a KMS action, as written
   * ("kms:Decrypt", "kms:*", "*"); with `not-action`, the actions excluded.
   */
  actions: Array<string>,
  notAction: boolean,
  /**
   * As written ("*", key ARNs); with `not-resource`, the resources excluded.
   */
  resources: Array<string>,
  notResource: boolean,
  /**
   * The statement's Condition block as JSON; none when it has none.
   */
  condition?: string,
}
export interface IamPolicy {
  /**
   * The policy's ARN; for an inline policy, its principal's ARN,
   * "/inline-policy/" and its name.
   */
  arn: string,
  name: string,
  /**
   * "managed" (customer-managed) or "inline".
   */
  policyType: string,
  /**
   * For an inline policy, the user, group or role that holds it; for a
   * managed policy, the users, groups and roles it is attached to.
   */
  attachedTo: Array<string>,
  /**
   * The statements that mention KMS actions.
   */
  kmsStatements: Array<KmsStatement>,
}
