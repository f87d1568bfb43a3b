// world keyaudit:rules/rule-component@0.3.1
export type * as KeyauditRulesAcmCertificate031 from './interfaces/keyaudit-rules-acm-certificate.js'; // import keyaudit:rules/acm-certificate@0.3.1
export type * as KeyauditRulesCloudformationStack031 from './interfaces/keyaudit-rules-cloudformation-stack.js'; // import keyaudit:rules/cloudformation-stack@0.3.1
export type * as KeyauditRulesCloudtrailTrail031 from './interfaces/keyaudit-rules-cloudtrail-trail.js'; // import keyaudit:rules/cloudtrail-trail@0.3.1
export type * as KeyauditRulesCollection031 from './interfaces/keyaudit-rules-collection.js'; // import keyaudit:rules/collection@0.3.1
export type * as KeyauditRulesIamPolicy031 from './interfaces/keyaudit-rules-iam-policy.js'; // import keyaudit:rules/iam-policy@0.3.1
export type * as KeyauditRulesIamServerCertificate031 from './interfaces/keyaudit-rules-iam-server-certificate.js'; // import keyaudit:rules/iam-server-certificate@0.3.1
export type * as KeyauditRulesKmsKey031 from './interfaces/keyaudit-rules-kms-key.js'; // import keyaudit:rules/kms-key@0.3.1
export type * as KeyauditRulesOrganisation031 from './interfaces/keyaudit-rules-organisation.js'; // import keyaudit:rules/organisation@0.3.1
export type * as KeyauditRulesSecret031 from './interfaces/keyaudit-rules-secret.js'; // import keyaudit:rules/secret@0.3.1
export type * as KeyauditRulesSsmParameter031 from './interfaces/keyaudit-rules-ssm-parameter.js'; // import keyaudit:rules/ssm-parameter@0.3.1
export type * as KeyauditRulesTypes031 from './interfaces/keyaudit-rules-types.js'; // import keyaudit:rules/types@0.3.1
export * as rule from './interfaces/keyaudit-rules-rule.js'; // export keyaudit:rules/rule@0.3.1
