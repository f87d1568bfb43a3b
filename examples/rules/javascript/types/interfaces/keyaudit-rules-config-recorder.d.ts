/** @module Interface keyaudit:rules/config-recorder@0.3.2 **/
/**
 * The account's recorders, every scanned region.
 */
export function list(): Array<ConfigRecorder>;
export interface ConfigRecorder {
  /**
   * Its ARN (made from the region, account and name where AWS gives none).
   */
  arn: string,
  region: string,
  name: string,
  /**
   * Records every supported resource type.
   */
  allSupported?: boolean,
  includeGlobalResourceTypes?: boolean,
  /**
   * Recording now.
   */
  recording?: boolean,
  /**
   * "SUCCESS", "FAILURE" or "PENDING".
   */
  lastStatus?: string,
}
