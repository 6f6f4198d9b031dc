"""Google Groups: a post the group refused (no such group, or the sender may not post).

Groups answers in the poster's language with no SMTP or status code, so the classifier has
nothing to read; the refusal concerns the sender's right to post, not a dead mailbox.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("googlegroups.com",)


def read(fields: Fields) -> tuple[Reason, str] | None:
    if fields.reply_code or fields.status:
        return None  # a coded SMTP answer from Google's MX is read like any other
    return Reason.REJECTED, "Google Groups refused the post"
