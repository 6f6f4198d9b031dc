"""The SMTP-outcome classifier: what a receiver said -> reason -> category -> action.

Pure: no I/O. See docs/taxonomy.md for the reason -> category table.
"""

from __future__ import annotations

from bounceguard.core.classify.classifier import classify, classify_reply, classify_uncached, reason_from_text
from bounceguard.core.classify.errors import ClassifyInputError
from bounceguard.core.classify.reply import ParsedReply, parse_reply
from bounceguard.core.models import Classification

__all__ = [
    "Classification",
    "ClassifyInputError",
    "ParsedReply",
    "classify",
    "classify_reply",
    "classify_uncached",
    "parse_reply",
    "reason_from_text",
]
