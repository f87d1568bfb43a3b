"""A keyaudit rule in Python: customer-managed KMS keys name their owner in a tag.

Build it into a WebAssembly component with componentize-py (PyPI), from this folder:

    componentize-py -d ../../../../wit -w rule-component componentize app -o kms-owner-tag.wasm

then run it beside the built-in rules: keyaudit scan --rules <folder with the .wasm> …
"""

from componentize_py_types import Err

import wit_world
from wit_world.exports import rule

PENDING_DELETION = (rule.KeyState_PendingDeletion, rule.KeyState_PendingReplicaDeletion)


def parameter(scope: rule.AccountScope, name: str):
    """A parameter's value; the host always supplies every declared parameter."""
    for key, value in scope.parameters:
        if key == name:
            return value.value
    raise Err(f"parameter {name} is missing")


class Rule(wit_world.exports.Rule):
    def metadata(self) -> rule.RuleMetadata:
        return rule.RuleMetadata(
            id="py-kms-owner-tag",
            title="KMS keys have an owner tag",
            description="Every customer-managed key not being deleted has a non-empty owner tag, so that "
            "someone answers for it. Written in Python to show the rule contract outside Rust.",
            severity=rule.Severity.LOW,
            resource_kinds=["kms-key"],
            # Only the tags are needed beyond the always-present fields.
            kms_key_fields=rule.KmsKeyFields.TAGS,
            parameters=[
                rule.Parameter(
                    name="tag_key",
                    description="The tag naming a key's owner",
                    default=rule.ParamValue_Text("owner"),
                )
            ],
            frameworks=[rule.FrameworkMapping(framework="AWS Well-Architected", control="SEC08-BP01")],
            remediation="aws kms tag-resource --key-id <key-id> --tags TagKey=owner,TagValue=<team>",
            references=["https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html"],
        )

    def evaluate(self, scope: rule.AccountScope, resources: list[rule.Resource]) -> list[rule.Finding]:
        tag_key = parameter(scope, "tag_key").lower()
        findings = []
        for index, resource in enumerate(resources):
            if not isinstance(resource, rule.Resource_KmsKey):
                continue
            key = resource.value
            if not isinstance(key.key_manager, rule.KeyManager_Customer) or isinstance(key.key_state, PENDING_DELETION):
                continue
            owner = next((value for name, value in key.tags or [] if name.lower() == tag_key and value), None)
            if owner:
                status, message, evidence = rule.Status.PASS, f"owned by {owner}", [("owner", owner)]
            else:
                status, message, evidence = rule.Status.FAIL, f"no {tag_key} tag", []
            findings.append(
                rule.Finding(
                    resource_index=index,  # findings name resources by position
                    subject=None,
                    region=None,  # the host fills in the key's region
                    status=status,
                    message=message,
                    evidence=evidence,
                )
            )
        return findings
