// A keyaudit rule in C: SecureString parameters were changed within a year.
//
// A SecureString parameter holds a secret (a password, a token, a private
// key); one that has not changed in a long time is a secret nobody rotates.
// Build it as the Makefile beside this file does:
//
//   wit-bindgen c ../../../../wit --world rule-component --out-dir gen
//   clang --target=wasm32-wasi -mexec-model=reactor -O2 -Igen rule.c gen/rule_component.c \
//       gen/rule_component_component_type.o -o rule.core.wasm
//   jco new rule.core.wasm --wasi-reactor -o parameter-changed-recently.wasm
//
// then run it beside the built-in rules: keyaudit scan --rules <folder with the .wasm> …
//
// Memory: everything returned to the host (strings, lists) must come from
// malloc; the generated bindings free it after the host has copied it.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_component.h"

#define DAY_MS 86400000LL

typedef rule_component_string_t string_t;

static string_t dup(const char *text) {
  string_t out;
  rule_component_string_dup(&out, text);
  return out;
}

static bool equals(const string_t *s, const char *text) {
  size_t len = strlen(text);
  return s->len == len && memcmp(s->ptr, text, len) == 0;
}

void exports_keyaudit_rules_rule_metadata(keyaudit_rules_types_rule_metadata_t *ret) {
  ret->id = dup("c-parameter-changed-recently");
  ret->title = dup("SecureString parameters change at least once a year");
  ret->description = dup(
      "Every SecureString parameter in Systems Manager Parameter Store was last changed at most "
      "max_days days ago, so the secret it holds is rotated. Written in C to show the rule "
      "contract outside Rust.");
  ret->severity = KEYAUDIT_RULES_TYPES_SEVERITY_LOW;

  // SSM parameters; the dates need no optional field group.
  ret->reads.len = 1;
  ret->reads.ptr = calloc(1, sizeof(keyaudit_rules_types_kind_read_t));
  ret->reads.ptr[0].kind = dup("ssm-parameter");

  ret->parameters.len = 1;
  ret->parameters.ptr = calloc(1, sizeof(keyaudit_rules_types_parameter_t));
  ret->parameters.ptr[0].name = dup("max_days");
  ret->parameters.ptr[0].description = dup("The longest a SecureString parameter may go unchanged, in days");
  ret->parameters.ptr[0].default_.tag = KEYAUDIT_RULES_TYPES_PARAM_VALUE_INTEGER;
  ret->parameters.ptr[0].default_.val.integer = 365;

  ret->frameworks.len = 1;
  ret->frameworks.ptr = calloc(1, sizeof(keyaudit_rules_types_framework_mapping_t));
  ret->frameworks.ptr[0].framework = dup("AWS Well-Architected");
  ret->frameworks.ptr[0].control = dup("SEC02-BP03");

  ret->remediation = dup(
      "Rotate the secret and store the new value: aws ssm put-parameter --name <name> --type SecureString "
      "--overwrite --value <new value>; or move it to Secrets Manager with automatic rotation.");
  ret->references.len = 1;
  ret->references.ptr = calloc(1, sizeof(string_t));
  ret->references.ptr[0] = dup("https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-working-with.html");
}

// One finding about parameter `index` (the host fills in its ARN and region).
static void judge(keyaudit_rules_types_finding_t *finding, uint32_t index, keyaudit_rules_types_status_t status,
                  const char *message, int64_t age_days, int64_t max_days) {
  memset(finding, 0, sizeof(*finding));
  finding->resource.is_some = true;
  finding->resource.val.kind = dup("ssm-parameter");
  finding->resource.val.index = index;
  finding->status = status;
  finding->message = dup(message);
  if (age_days >= 0) {
    char text[32];
    finding->evidence.len = 2;
    finding->evidence.ptr = calloc(2, sizeof(rule_component_tuple2_string_string_t));
    snprintf(text, sizeof text, "%lld", (long long)age_days);
    finding->evidence.ptr[0].f0 = dup("days_since_change");
    finding->evidence.ptr[0].f1 = dup(text);
    snprintf(text, sizeof text, "%lld", (long long)max_days);
    finding->evidence.ptr[1].f0 = dup("max_days");
    finding->evidence.ptr[1].f1 = dup(text);
  }
}

// Returning false with `err` set is the rule's error: one ERROR finding for
// the account. A trap (abort(), a bad pointer) is reported as an ERROR too.
bool exports_keyaudit_rules_rule_evaluate(keyaudit_rules_types_account_scope_t *scope,
                                          exports_keyaudit_rules_rule_list_finding_t *ret, string_t *err) {
  int64_t max_days = -1;
  for (size_t i = 0; i < scope->parameters.len; i++) {
    keyaudit_rules_types_tuple2_string_param_value_t *p = &scope->parameters.ptr[i];
    if (equals(&p->f0, "max_days") && p->f1.tag == KEYAUDIT_RULES_TYPES_PARAM_VALUE_INTEGER) {
      max_days = p->f1.val.integer;
    }
  }
  if (max_days < 0) {
    *err = dup("parameter max_days is missing or not a whole number");
    keyaudit_rules_types_account_scope_free(scope);
    return false;
  }

  keyaudit_rules_ssm_parameter_list_ssm_parameter_t parameters;
  keyaudit_rules_ssm_parameter_list(&parameters);
  ret->ptr = calloc(parameters.len ? parameters.len : 1, sizeof(keyaudit_rules_types_finding_t));
  ret->len = 0;
  for (size_t i = 0; i < parameters.len; i++) {
    keyaudit_rules_ssm_parameter_ssm_parameter_t *parameter = &parameters.ptr[i];
    keyaudit_rules_types_finding_t *finding = &ret->ptr[ret->len];
    if (!parameter->parameter_type.is_some) {
      // Unknown is never a verdict.
      judge(finding, (uint32_t)i, KEYAUDIT_RULES_TYPES_STATUS_ERROR, "the parameter's type could not be read", -1, max_days);
    } else if (!equals(&parameter->parameter_type.val, "SecureString")) {
      continue;  // not applicable: a String or StringList holds no secret by intent
    } else if (!parameter->last_modified.is_some) {
      judge(finding, (uint32_t)i, KEYAUDIT_RULES_TYPES_STATUS_ERROR, "the parameter's last change could not be read", -1, max_days);
    } else {
      int64_t age_days = (scope->evaluated_at - parameter->last_modified.val) / DAY_MS;
      char message[96];
      snprintf(message, sizeof message, "last changed %lld days ago", (long long)age_days);
      judge(finding, (uint32_t)i, age_days <= max_days ? KEYAUDIT_RULES_TYPES_STATUS_PASS : KEYAUDIT_RULES_TYPES_STATUS_FAIL,
            message, age_days, max_days);
    }
    ret->len++;
  }
  keyaudit_rules_ssm_parameter_list_ssm_parameter_free(&parameters);
  keyaudit_rules_types_account_scope_free(scope);
  return true;
}
