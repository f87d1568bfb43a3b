/** @module Interface keyaudit:rules/organization@0.3.2 **/
/**
 * The organisation (at most one record).
 */
export function list(): Array<Organization>;
/**
 * A policy type's status on a root, such as ("SERVICE_CONTROL_POLICY", "ENABLED").
 */
export interface PolicyTypeStatus {
  policyType: string,
  status: string,
}
/**
 * A root of the organisation.
 */
export interface OrganizationRoot {
  id: string,
  name: string,
  /**
   * The policy types enabled (or being enabled or disabled) on it.
   */
  policyTypes: Array<PolicyTypeStatus>,
}
export interface Organization {
  /**
   * The organisation's ARN.
   */
  arn: string,
  /**
   * Its id (`o-…`).
   */
  id: string,
  /**
   * "ALL" or "CONSOLIDATED_BILLING".
   */
  featureSet?: string,
  /**
   * The management account, which service control policies never restrict.
   */
  managementAccountId?: string,
  /**
   * From `ListRoots`; none when they could not be read.
   */
  roots?: Array<OrganizationRoot>,
}
