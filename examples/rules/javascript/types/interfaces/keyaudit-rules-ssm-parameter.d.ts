/** @module Interface keyaudit:rules/ssm-parameter@0.3.2 **/
/**
 * The account's parameters, every scanned region, every type.
 */
export function list(): Array<SsmParameter>;
export interface SsmParameter {
  arn: string,
  region: string,
  name: string,
  /**
   * "String", "StringList" or "SecureString".
   */
  parameterType?: string,
  /**
   * For a SecureString: the KMS key (an alias such as "alias/aws/ssm", an id or an ARN).
   */
  keyId?: string,
  /**
   * "Standard", "Advanced" or "Intelligent-Tiering".
   */
  tier?: string,
  lastModified?: bigint,
  lastModifiedUser?: string,
  version?: bigint,
  /**
   * Such as "text" or "aws:ec2:image".
   */
  dataType?: string,
  description?: string,
  /**
   * The parameter policies, as JSON texts.
   */
  policies: Array<string>,
}
