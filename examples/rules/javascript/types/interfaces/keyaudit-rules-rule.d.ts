/** @module Interface keyaudit:rules/rule@0.3.2 **/
/**
 * Describes the rule. Called once, when the rule is loaded.
 */
export function metadata(): RuleMetadata;
/**
 * Evaluates one account. An `err` is reported as an ERROR finding.
 */
export function evaluate(scope: AccountScope): Array<Finding>;
export type RuleMetadata = import('./keyaudit-rules-types.js').RuleMetadata;
export type AccountScope = import('./keyaudit-rules-types.js').AccountScope;
export type Finding = import('./keyaudit-rules-types.js').Finding;
