"""policyviolation: refused under a policy of the receiving site (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.POLICYVIOLATION,
    priority=60,
    phrases=(
        "policy",  # Gmail "due to policy", Mimecast "Message rejected due to local policy"
        "policies",  # Mimecast "Email rejected due to security policies"
        "prohibited",  # various "prohibited attachment"
        "attachment",  # Microsoft 365 "attachment type not allowed"
        "not allowed by",
        "restricted",
        "banned",  # Amavis "BANNED"
        "executable",  # attachment filters
        "violat",  # "violates", "violation"
        "content presents a potential",  # Gmail "its content presents a potential security issue"
        "host network not allowed",  # Mimecast
    ),
)
