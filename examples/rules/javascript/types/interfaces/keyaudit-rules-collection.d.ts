/** @module Interface keyaudit:rules/collection@0.3.2 **/
/**
 * Whether every resource of `kind` in `region` of the account being
 * evaluated was listed ("global" for account-level kinds such as IAM).
 * False where the listing failed or the region was not scanned: a
 * resource not among those given may still exist there, so its absence
 * decides nothing.
 */
export function listed(kind: string, region: string): boolean;
