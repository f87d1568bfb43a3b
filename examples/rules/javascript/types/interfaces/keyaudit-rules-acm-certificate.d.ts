/** @module Interface keyaudit:rules/acm-certificate@0.3.2 **/
/**
 * The account's ACM certificates, every scanned region, every key type.
 */
export function list(): Array<AcmCertificate>;
export interface AcmCertificate {
  arn: string,
  region: string,
  /**
   * "details".
   */
  domainName?: string,
  /**
   * Such as "ISSUED", "PENDING_VALIDATION", "EXPIRED", "FAILED",
   * "VALIDATION_TIMED_OUT"; none when DescribeCertificate failed
   * (likewise every field below but `tags`).
   */
  status?: string,
  /**
   * "AMAZON_ISSUED", "IMPORTED" or "PRIVATE".
   */
  certificateType?: string,
  /**
   * "details".
   */
  issuer?: string,
  notBefore?: bigint,
  notAfter?: bigint,
  /**
   * Such as "RSA_2048", "RSA_1024", "EC_prime256v1".
   */
  keyAlgorithm?: string,
  /**
   * "details": such as "SHA256WITHRSA".
   */
  signatureAlgorithm?: string,
  /**
   * "details": ARNs of the resources that use the certificate.
   */
  inUseBy?: Array<string>,
  /**
   * "ELIGIBLE" or "INELIGIBLE".
   */
  renewalEligibility?: string,
  /**
   * "details": managed renewal's status ("PENDING_AUTO_RENEWAL", "SUCCESS", …); none when there is none.
   */
  renewalStatus?: string,
  /**
   * Certificate Transparency logging: "ENABLED" or "DISABLED".
   */
  transparencyLogging?: string,
  /**
   * "details": how each domain is validated ("DNS", "EMAIL", "HTTP").
   */
  validationMethods?: Array<string>,
  createdAt?: bigint,
  importedAt?: bigint,
  issuedAt?: bigint,
  /**
   * "tags".
   */
  tags?: Array<[string, string]>,
}
