"""Schemathesis hooks for the contract run (scripts/contract): values of the document's own formats.

`phone` is a number libphonenumber reads as valid (international, or national in the tenant's
region, US here); `time-zone` an IANA zone name PostgreSQL knows. JSON Schema cannot spell either,
so the document names the format and this file gives the fuzzer real examples of it.
"""
from datetime import datetime, timezone

import schemathesis
from hypothesis import strategies as st

# International form only: a national one is read in the tenant's region, which the run itself changes.
PHONES = [
    "+14155550100",
    "+1 415 555 0123",
    "+1 (415) 555-0177",
    "+442071838750",
    "+44 20 7183 8750",
    "+4930901820",
]
TIME_ZONES = ["UTC", "Europe/Berlin", "Europe/Madrid", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]

schemathesis.openapi.format("phone", st.sampled_from(PHONES))
schemathesis.openapi.format("time-zone", st.sampled_from(TIME_ZONES))
# A Rust regular expression that matches something (AI settings' mask_patterns).
schemathesis.openapi.format("mask-pattern", st.sampled_from(["ACME-[0-9]{6}", r"\bPO[0-9]+\b", "(?i)project x"]))

CONSENTS = "/api/v1/leads/{id}/consents"
SIGN_IN_RULES = "/api/v1/settings/security"


@schemathesis.hook
def filter_body(context, body):
    """Two bodies the run keeps away from, neither for a reason of the document:

    - a consent is recorded as given at or before now (five minutes of clock skew allowed), a rule of
      the clock that JSON Schema cannot state, so the fuzzer keeps to the past for it;
    - requiring a second factor would lock the run's own admin out (its operator token has none), and
      every later request would be a 403 that tests nothing. The API tests cover that rule."""
    if context.operation is None or not isinstance(body, dict):
        return True
    if context.operation.path == SIGN_IN_RULES:
        return body.get("require_mfa") is not True
    if context.operation.path != CONSENTS:
        return True
    when = body.get("occurred_at")
    if not isinstance(when, str):
        return True
    try:
        parsed = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return True
    return parsed.tzinfo is None or parsed <= datetime.now(timezone.utc)
