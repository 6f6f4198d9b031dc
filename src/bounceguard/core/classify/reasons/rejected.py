"""rejected: the envelope sender (MAIL FROM) or its domain was refused (soft).

Sender-specific wording outranks everything, since "Sender address rejected: ... User
unknown" speaks of our sender, not of the recipient. Bare "rejected"/"refused" wording
is in rejected_generic.py, below every specific family.
"""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.REJECTED,
    priority=94,
    phrases=(
        "sender address rejected",  # Postfix "Sender address rejected: Domain not found"
        "sender rejected",  # Cox, Spectrum "<x> sender rejected"
        "sender verify failed",  # Exim callout
        "sender unknown",
        "domain of sender address",  # Sendmail "Domain of sender address x does not exist"
        "unroutable sender address",  # Exim
        "mail from rejected",
        "invalid sender",
        "sender address is not allowed",  # web.de / GMX
        "sender denied",
        "purported responsible address",  # Courier Sender ID "can't determine Purported Responsible Address"
        "you may not have permission to post",  # Google Groups
        "email address is not verified",  # Amazon SES "Email address is not verified"
        "not a member of this mailing list",  # fml: only members may post to the list
        "an address that has been blacklisted",  # Exim ACL "sending to/from an address that has been blacklisted"
    ),
    # the receiver names a policy as the cause ("Mail from x rejected for policy reasons"):
    # policyviolation says more than "the sender was refused"
    excludes=("for policy reasons",),
)
