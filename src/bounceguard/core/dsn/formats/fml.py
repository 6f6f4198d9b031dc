"""fml mailing-list manager refusals: the list address sits in angle brackets in the prose
("You are not a member of this mailing list <list@example.org>.",
"Duplicated Message-ID in <list@example.org>."), and the X-MLServer header names fml."""

from __future__ import annotations

from bounceguard.core.dsn.bouncemail import BounceMail
from bounceguard.core.dsn.fields import Fields, clean_address, squeeze
from bounceguard.core.dsn.formats.base import BounceFormat


def _detect(mail: BounceMail) -> bool:
    server = mail.header("x-mlserver").lower()
    return server.startswith("fml") or "fml" in mail.header("list-software").lower()


def _extract(mail: BounceMail) -> list[Fields]:
    text = mail.bounce_text
    start = text.find("<")
    end = text.find(">", start)
    if start < 0 or end < 0:
        return []
    addr = clean_address(text[start : end + 1])
    if not addr:
        return []
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return [Fields(recipient=addr, diagnostic=squeeze(text[line_start : line_end if line_end > 0 else None]))]


FORMAT = BounceFormat(name="fml", detect=_detect, extract=_extract, order=100)
