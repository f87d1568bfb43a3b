// world keyaudit:rules/rule-component@0.3.2
export type * as KeyauditRulesAcmCertificate032 from './interfaces/keyaudit-rules-acm-certificate.js'; // import keyaudit:rules/acm-certificate@0.3.2
export type * as KeyauditRulesCloudformationStack032 from './interfaces/keyaudit-rules-cloudformation-stack.js'; // import keyaudit:rules/cloudformation-stack@0.3.2
export type * as KeyauditRulesCloudtrailKeyActivity032 from './interfaces/keyaudit-rules-cloudtrail-key-activity.js'; // import keyaudit:rules/cloudtrail-key-activity@0.3.2
export type * as KeyauditRulesCloudtrailTrail032 from './interfaces/keyaudit-rules-cloudtrail-trail.js'; // import keyaudit:rules/cloudtrail-trail@0.3.2
export type * as KeyauditRulesCollection032 from './interfaces/keyaudit-rules-collection.js'; // import keyaudit:rules/collection@0.3.2
export type * as KeyauditRulesConfigConformancePack032 from './interfaces/keyaudit-rules-config-conformance-pack.js'; // import keyaudit:rules/config-conformance-pack@0.3.2
export type * as KeyauditRulesConfigRecorder032 from './interfaces/keyaudit-rules-config-recorder.js'; // import keyaudit:rules/config-recorder@0.3.2
export type * as KeyauditRulesConfigRule032 from './interfaces/keyaudit-rules-config-rule.js'; // import keyaudit:rules/config-rule@0.3.2
export type * as KeyauditRulesIamPolicy032 from './interfaces/keyaudit-rules-iam-policy.js'; // import keyaudit:rules/iam-policy@0.3.2
export type * as KeyauditRulesIamServerCertificate032 from './interfaces/keyaudit-rules-iam-server-certificate.js'; // import keyaudit:rules/iam-server-certificate@0.3.2
export type * as KeyauditRulesKmsKeyUsage032 from './interfaces/keyaudit-rules-kms-key-usage.js'; // import keyaudit:rules/kms-key-usage@0.3.2
export type * as KeyauditRulesKmsKey032 from './interfaces/keyaudit-rules-kms-key.js'; // import keyaudit:rules/kms-key@0.3.2
export type * as KeyauditRulesOrganisation032 from './interfaces/keyaudit-rules-organisation.js'; // import keyaudit:rules/organisation@0.3.2
export type * as KeyauditRulesOrganization032 from './interfaces/keyaudit-rules-organization.js'; // import keyaudit:rules/organization@0.3.2
export type * as KeyauditRulesSecret032 from './interfaces/keyaudit-rules-secret.js'; // import keyaudit:rules/secret@0.3.2
export type * as KeyauditRulesServiceControlPolicy032 from './interfaces/keyaudit-rules-service-control-policy.js'; // import keyaudit:rules/service-control-policy@0.3.2
export type * as KeyauditRulesSsmParameter032 from './interfaces/keyaudit-rules-ssm-parameter.js'; // import keyaudit:rules/ssm-parameter@0.3.2
export type * as KeyauditRulesTypes032 from './interfaces/keyaudit-rules-types.js'; // import keyaudit:rules/types@0.3.2
export * as rule from './interfaces/keyaudit-rules-rule.js'; // export keyaudit:rules/rule@0.3.2
