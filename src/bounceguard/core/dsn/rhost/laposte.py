"""La Poste (laposte.net): rejection texts carry a code after "LPN"; LPN007_416 with
"Invalid recipient" names a recipient that does not exist, even under 5.5.0."""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("laposte.net",)
HOSTS = ("laposte.net",)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    if "invalid recipient" in text and "lpn007_416" in text:
        return Reason.USERUNKNOWN, "La Poste LPN007_416: invalid recipient"
    return None
