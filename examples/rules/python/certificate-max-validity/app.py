"""A keyaudit rule in Python: issued ACM certificates are valid for at most 398 days.

398 days is the CA/Browser Forum's limit for publicly trusted TLS certificates;
a longer-lived certificate (often an imported one) is a key that is replaced
too rarely.

Build it into a WebAssembly component with componentize-py (PyPI), from this folder:

    componentize-py -d ../../../../wit -w rule-component componentize app -o certificate-max-validity.wasm

then run it beside the built-in rules: keyaudit scan --rules <folder with the .wasm> …
"""

from componentize_py_types import Err

from wit_world import exports
from wit_world.imports import acm_certificate, types

DAY_MS = 86_400_000


def parameter(scope: types.AccountScope, name: str):
    """A parameter's value; the host always supplies every declared parameter."""
    for key, value in scope.parameters:
        if key == name:
            return value.value
    # Err(...) is the rule's error: one ERROR finding for the account. Any
    # other exception traps, which the host also reports as an ERROR.
    raise Err(f"parameter {name} is missing")


def finding(index: int, status: types.Status, message: str, evidence: list[tuple[str, str]]) -> types.Finding:
    return types.Finding(
        # Findings name resources by kind and position; the host fills in the ARN.
        resource=types.ResourceRef(kind="acm-certificate", index=index),
        subject=None,
        region=None,  # the host fills in the certificate's region
        status=status,
        message=message,
        evidence=evidence,
    )


class Rule(exports.Rule):
    def metadata(self) -> types.RuleMetadata:
        return types.RuleMetadata(
            id="py-certificate-max-validity",
            title="Certificates are valid for at most 398 days",
            description="Every issued ACM certificate's validity (NotAfter - NotBefore) is at most max_days "
            "days, the CA/Browser Forum's limit for public TLS certificates. Written in Python to show the "
            "rule contract outside Rust.",
            severity=types.Severity.LOW,
            # ACM certificates; the validity dates need no optional field group.
            reads=[types.KindRead(kind="acm-certificate", fields=[])],
            parameters=[
                types.Parameter(
                    name="max_days",
                    description="The longest validity allowed, in days",
                    default=types.ParamValue_Integer(398),
                )
            ],
            frameworks=[types.FrameworkMapping(framework="AWS Well-Architected", control="SEC08-BP01")],
            remediation="Reissue the certificate with a validity of at most 398 days and re-import it "
            "(aws acm import-certificate --certificate-arn <arn> …), or request an ACM-issued one.",
            references=["https://cabforum.org/working-groups/server/baseline-requirements/"],
        )

    def evaluate(self, scope: types.AccountScope) -> list[types.Finding]:
        max_days = parameter(scope, "max_days")
        findings = []
        for index, certificate in enumerate(acm_certificate.list()):
            if certificate.status is None:
                # DescribeCertificate failed: unknown is never a verdict.
                findings.append(finding(index, types.Status.ERROR, "the certificate could not be described", []))
                continue
            if certificate.status != "ISSUED":
                continue  # not applicable: nothing is in use yet (or any more)
            if certificate.not_before is None or certificate.not_after is None:
                findings.append(finding(index, types.Status.ERROR, "an issued certificate without validity dates", []))
                continue
            days = (certificate.not_after - certificate.not_before) // DAY_MS
            evidence = [("validity_days", str(days)), ("max_days", str(max_days))]
            if days <= max_days:
                findings.append(finding(index, types.Status.PASS, f"valid for {days} days", evidence))
            else:
                findings.append(finding(index, types.Status.FAIL, f"valid for {days} days, over {max_days}", evidence))
        return findings
