/** @module Interface keyaudit:rules/organisation@0.3.2 **/
/**
 * Whether `account-id` is an account of the audited organisation, as
 * known to the run (every discovered account, whatever its status).
 */
export function isMember(accountId: string): boolean;
