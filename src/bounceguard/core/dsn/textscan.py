"""Reading plain-text bounce reports: who failed and the lines that say why.

Shared by the format modules for MTAs that write prose instead of RFC 3464 fields
(qmail, Exim, Yahoo, Gmail's older notices...).
"""

from __future__ import annotations

import re

from bounceguard.core.dsn.fields import ADDRESS_RE, find_addresses, squeeze

# An address opening a line, optionally after "RCPT TO:"-like labels or a Sendmail
# transcript's reply code ("554 <a@example.org>... Host unknown").
_LEAD = re.compile(
    r"^[\s>*\-\"']*(?:[245]\d\d[ \-]+)?(?:rcpt to:\s*|to:\s*|recipient:\s*|address:\s*)?"
    r"<?([^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+)",
    re.I,
)
MAX_LINES = 8
_WINDOW = 4000  # characters after an address that may still belong to its diagnostic


def _find_folded(text: str, needle: str) -> int:
    """Case-insensitive find without lower-casing the whole report when the case matches."""
    idx = text.find(needle)
    return idx if idx >= 0 else text.lower().find(needle.lower())


def line_addresses(text: str) -> list[str]:
    """Addresses that open a line: how most MTAs list the failed recipients."""
    found: list[str] = []
    lowered: set[str] = set()
    previous = ""
    for line in text.splitlines():
        follows, previous = previous, line
        if "@" not in line:
            continue
        if follows.rstrip().lower().endswith(("expanded from", "(")):
            continue  # Postfix "(expanded from\n<alias@...>)": the alias, not a recipient
        match = _LEAD.match(line)
        if not match:
            continue
        addr = match.group(1).strip(".")
        if not ADDRESS_RE.fullmatch(addr):
            continue
        low = addr.lower()
        if low in lowered or low.startswith("mailer-daemon@"):
            continue
        lowered.add(low)
        found.append(addr)
    return found


def diagnostic_near(text: str, address: str, max_lines: int = MAX_LINES) -> str:
    """The text that follows `address` in a report, up to the next blank line.

    When the address line itself carries nothing else, the next paragraph is taken: qmail
    and Exim put the SMTP reply on the lines under the address.
    """
    if not text:
        return ""
    idx = _find_folded(text, address) if address else -1
    if idx < 0:
        return ""
    line_start = text.rfind("\n", 0, idx) + 1
    lines = text[line_start : line_start + _WINDOW].splitlines()
    first = lines[0] if lines else ""
    indent = _indent(first)
    at = first.lower().find(address.lower())
    rest = first[at + len(address) :].strip(" >:\t\"'")
    prefix = first[:at].strip(" <>\t")
    if rest and prefix[:3].isdigit():
        rest = f"{prefix} {rest}"  # Sendmail "554 <a@example.org>... Host unknown"
    taken: list[str] = [rest] if rest else []
    started = bool(rest)
    for line in lines[1 : 1 + max_lines * 2]:
        if not line.strip():
            if started:
                break
            continue
        if rest and _indent(line) <= indent:
            break  # the address line said it all; only deeper-indented lines continue it
        if started and taken and _indent(line) <= indent:
            lead = _LEAD.match(line)
            if lead and lead.group(1).lower() != address.lower():
                break  # the next recipient, listed at the same depth
        taken.append(line.strip())
        started = True
        if len(taken) >= max_lines:
            break
    return squeeze(" ".join(taken))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def addresses_in(text: str) -> list[str]:
    return find_addresses(text)
