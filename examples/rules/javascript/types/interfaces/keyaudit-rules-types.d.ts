/** @module Interface keyaudit:rules/types@0.3.2 **/
/**
 * How much a failure matters.
 * # Variants
 * 
 * ## `"informational"`
 * 
 * ## `"low"`
 * 
 * ## `"medium"`
 * 
 * ## `"high"`
 * 
 * ## `"critical"`
 */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';
/**
 * The outcome for one resource or one account-level check.
 * # Variants
 * 
 * ## `"pass"`
 * 
 * The check holds.
 * ## `"fail"`
 * 
 * The check does not hold.
 * ## `"info"`
 * 
 * An observation, not scored.
 * ## `"error"`
 * 
 * The rule could not decide (data missing or malformed).
 */
export type Status = 'pass' | 'fail' | 'info' | 'error';
/**
 * A parameter value; a parameter's type is that of its default.
 */
export type ParamValue = ParamValueText | ParamValueInteger | ParamValueNumber | ParamValueBoolean | ParamValueTextList;
export interface ParamValueText {
  tag: 'text',
  val: string,
}
export interface ParamValueInteger {
  tag: 'integer',
  val: bigint,
}
export interface ParamValueNumber {
  tag: 'number',
  val: number,
}
export interface ParamValueBoolean {
  tag: 'boolean',
  val: boolean,
}
export interface ParamValueTextList {
  tag: 'text-list',
  val: Array<string>,
}
/**
 * A setting users may override in keyaudit's config.
 */
export interface Parameter {
  name: string,
  description: string,
  'default': ParamValue,
}
/**
 * A control in a compliance framework this rule implements.
 */
export interface FrameworkMapping {
  /**
   * Such as "CIS AWS Foundations Benchmark", "AWS Security Hub FSBP", "FedRAMP 20x".
   */
  framework: string,
  /**
   * Such as "3.6", "KMS.4", "KSI-SVC-06".
   */
  control: string,
}
/**
 * What a rule reads of one resource kind.
 */
export interface KindRead {
  /**
   * Such as "kms-key", "acm-certificate", "secret".
   */
  kind: string,
  /**
   * The kind's optional field groups the rule reads, such as
   * "key-policy" (see each kind's interface); the others stay `none`.
   * Since 0.3.2 a group may end in "?" ("last-usage?"): it is read,
   * but where its data could not be read the host does not turn the
   * rule's verdicts into ERROR; the rule must decide from another
   * source it reads or say ERROR itself. Use it only then.
   */
  fields: Array<string>,
}
/**
 * What a rule is; returned by `metadata`.
 */
export interface RuleMetadata {
  /**
   * Unique, lowercase letters, digits and '-', such as "kms-rotation-enabled".
   */
  id: string,
  title: string,
  description: string,
  severity: Severity,
  /**
   * The kinds (and their field groups) the rule reads.
   */
  reads: Array<KindRead>,
  parameters: Array<Parameter>,
  frameworks: Array<FrameworkMapping>,
  /**
   * How to fix a failure.
   */
  remediation: string,
  /**
   * Documentation links.
   */
  references: Array<string>,
}
/**
 * The account a call to `evaluate` is about.
 */
export interface AccountScope {
  accountId: string,
  accountName: string,
  /**
   * OU names from the root, such as "Root/Workloads/Prod"; empty when unknown.
   */
  ouPath: string,
  /**
   * Organisation id; empty when unknown.
   */
  orgId: string,
  /**
   * The regions scanned in this account.
   */
  regions: Array<string>,
  /**
   * This rule's parameters: every declared parameter, defaults filled in.
   */
  parameters: Array<[string, ParamValue]>,
  /**
   * When the evaluation happens; rules use this rather than a clock,
   * so results are reproducible.
   */
  evaluatedAt: bigint,
}
/**
 * A resource, by its kind and its position (from 0) in what that
 * kind's `list` returned. The host fills in its ARN and region.
 */
export interface ResourceRef {
  kind: string,
  index: number,
}
/**
 * One result.
 */
export interface Finding {
  /**
   * The resource the finding is about; none for an account-level check.
   */
  resource?: ResourceRef,
  /**
   * A stable name for what was checked when it is not a resource, such as
   * "tier:web"; keeps account-level findings of one rule apart.
   */
  subject?: string,
  /**
   * For an account-level check about one region, that region. For a
   * resource finding, none or the resource's own region.
   */
  region?: string,
  status: Status,
  message: string,
  /**
   * Facts behind the verdict, such as ("rotation_enabled", "false").
   */
  evidence: Array<[string, string]>,
}
