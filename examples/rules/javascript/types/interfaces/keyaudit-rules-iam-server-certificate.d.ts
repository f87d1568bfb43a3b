/** @module Interface keyaudit:rules/iam-server-certificate@0.3.2 **/
export function list(): Array<IamServerCertificate>;
export interface IamServerCertificate {
  arn: string,
  name: string,
  path: string,
  uploadDate?: bigint,
  notBefore?: bigint,
  notAfter?: bigint,
  /**
   * "RSA", "EC", … from the certificate's public key.
   */
  keyAlgorithm?: string,
  /**
   * In bits (the curve size for EC).
   */
  keySize?: number,
  /**
   * Such as "sha256WithRSAEncryption".
   */
  signatureAlgorithm?: string,
}
