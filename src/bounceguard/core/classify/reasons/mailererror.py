"""mailererror: a local delivery program (pipe, procmail) exited with an error (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.MAILERERROR,
    priority=50,
    phrases=(
        "x-unix;",  # RFC 3464 "Diagnostic-Code: X-Unix; ..." from Sendmail prog mailer
        "pipe to |",  # Exim pipe transport
        "command died with status",  # Postfix pipe(8)
        "command output:",  # Postfix pipe(8) "Command output: ..."
        "procmail",
        "mailer error",
        "exited with",
        "unknown mailer error",  # Sendmail
        "child process",
    ),
)
