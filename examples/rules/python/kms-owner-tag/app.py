"""A keyaudit rule in Python: customer-managed KMS keys name their owner in a tag.

Build it into a WebAssembly component with componentize-py (PyPI), from this folder:

    componentize-py -d ../../../../wit -w rule-component componentize app -o kms-owner-tag.wasm

then run it beside the built-in rules: keyaudit scan --rules <folder with the .wasm> …
"""

from componentize_py_types import Err

from wit_world import exports
from wit_world.imports import kms_key, types

PENDING_DELETION = (kms_key.KeyState_PendingDeletion, kms_key.KeyState_PendingReplicaDeletion)


def parameter(scope: types.AccountScope, name: str):
    """A parameter's value; the host always supplies every declared parameter."""
    for key, value in scope.parameters:
        if key == name:
            return value.value
    raise Err(f"parameter {name} is missing")


class Rule(exports.Rule):
    def metadata(self) -> types.RuleMetadata:
        return types.RuleMetadata(
            id="py-kms-owner-tag",
            title="KMS keys have an owner tag",
            description="Every customer-managed key not being deleted has a non-empty owner tag, so that "
            "someone answers for it. Written in Python to show the rule contract outside Rust.",
            severity=types.Severity.LOW,
            # KMS keys, and of their optional field groups only the tags.
            reads=[types.KindRead(kind="kms-key", fields=["tags"])],
            parameters=[
                types.Parameter(
                    name="tag_key",
                    description="The tag naming a key's owner",
                    default=types.ParamValue_Text("owner"),
                )
            ],
            frameworks=[types.FrameworkMapping(framework="AWS Well-Architected", control="SEC08-BP01")],
            remediation="aws kms tag-resource --key-id <key-id> --tags TagKey=owner,TagValue=<team>",
            references=["https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html"],
        )

    def evaluate(self, scope: types.AccountScope) -> list[types.Finding]:
        tag_key = parameter(scope, "tag_key").lower()
        findings = []
        # The account's keys, from the host; findings name them by position.
        for index, key in enumerate(kms_key.list()):
            if not isinstance(key.key_manager, kms_key.KeyManager_Customer) or isinstance(key.key_state, PENDING_DELETION):
                continue
            owner = next((value for name, value in key.tags or [] if name.lower() == tag_key and value), None)
            if owner:
                status, message, evidence = types.Status.PASS, f"owned by {owner}", [("owner", owner)]
            else:
                status, message, evidence = types.Status.FAIL, f"no {tag_key} tag", []
            findings.append(
                types.Finding(
                    resource=types.ResourceRef(kind="kms-key", index=index),
                    subject=None,
                    region=None,  # the host fills in the key's region
                    status=status,
                    message=message,
                    evidence=evidence,
                )
            )
        return findings
