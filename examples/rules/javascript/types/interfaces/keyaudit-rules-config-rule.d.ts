/** @module Interface keyaudit:rules/config-rule@0.3.2 **/
/**
 * The account's Config rules, every scanned region.
 */
export function list(): Array<ConfigRule>;
export interface ConfigRule {
  arn: string,
  region: string,
  name: string,
  /**
   * "AWS" (a managed rule), "CUSTOM_LAMBDA" or "CUSTOM_POLICY".
   */
  owner?: string,
  /**
   * A managed rule's identifier, such as "CMK_BACKING_KEY_ROTATION_ENABLED".
   */
  sourceIdentifier?: string,
  /**
   * "ACTIVE", "EVALUATING", "DELETING" or "DELETING_RESULTS".
   */
  state?: string,
  /**
   * The service that made it ("config-conforms.amazonaws.com" for a
   * conformance pack's rules).
   */
  createdBy?: string,
  /**
   * "compliance": "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE" or
   * "INSUFFICIENT_DATA".
   */
  compliance?: string,
}
