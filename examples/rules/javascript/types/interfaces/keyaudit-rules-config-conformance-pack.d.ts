/** @module Interface keyaudit:rules/config-conformance-pack@0.3.2 **/
/**
 * The account's conformance packs, every scanned region.
 */
export function list(): Array<ConfigConformancePack>;
export interface ConfigConformancePack {
  arn: string,
  region: string,
  name: string,
  /**
   * The service that deployed it ("config-multiaccountsetup.amazonaws.com"
   * for an organisation's pack).
   */
  createdBy?: string,
  lastUpdateRequested?: bigint,
}
