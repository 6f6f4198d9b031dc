"""userunknown: the recipient mailbox does not exist (hard)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.USERUNKNOWN,
    priority=90,
    phrases=(
        "user unknown",  # Sendmail, Postfix local(8), many appliances
        "unknown user",  # Exim, Courier
        "no such user",  # Postfix virtual, qmail, Yandex "no such user here"
        "no such mailbox",  # Exim/Dovecot LMTP
        "no such recipient",  # Mimecast, Proofpoint
        "no such account",  # Gmail-hosted domains
        "recipient unknown",  # Postfix smtpd local_recipient_maps
        "unknown recipient",  # Mimecast, Barracuda
        "recipient not found",  # Barracuda
        "user not found",  # Mail.ru, Zoho
        "mailbox not found",  # Exchange/Microsoft 365
        "mailbox unavailable",  # Yahoo/AOL "554 delivery error: dd This user doesn't have...", Sendmail 550
        "doesn't have a",  # Yahoo/AOL "This user doesn't have a yahoo.com account"
        "address rejected: user unknown",  # Postfix "Recipient address rejected: User unknown in ..."
        "resolver.adr.recipientnotfound",  # Microsoft 365 / Exchange NDR code
        "resolver.adr.recipnotfound",  # Exchange NDR code
        "recipientnotfound",  # Microsoft 365
        "invalid recipient",  # Cisco IronPort, Proofpoint
        "invalid mailbox",  # various
        "no mailbox here by that name",  # qmail
        "sorry, no mailbox here",  # qmail "sorry, no mailbox here by that name. (#5.1.1)"
        "mailbox does not exist",  # iCloud, GMX/web.de
        "account does not exist",  # Outlook.com
        "user doesn't exist",  # Mail.ru
        "no such person",  # Sendmail variants
        "unknown local part",  # Exim
        "address unknown",  # various
        "not a valid mailbox",  # various
        "undeliverable address",  # various
        "is not a valid user",  # Domino
        "address is not recognized",  # various
        "recipient name is not recognized",  # Exchange 2000/2003 "The recipient name is not recognized"
        "user does not exist",  # Yandex, Zoho
        "no such local user",  # various
        "recipient address rejected: unknown",  # Postfix "Recipient address rejected: unknown user"
        "invalid address",  # Mimecast, Barracuda
        "bad destination mailbox address",  # RFC 3463 wording echoed by many MTAs
        "recipient address rejected: access denied",  # Microsoft 365 directory-based edge blocking (5.4.1)
        "address couldn't be found",  # Gmail "the address couldn't be found. Check for typos"
        "not listed in domino directory",  # HCL Domino
        "not listed in public name & address book",  # Lotus Notes
        "invalid final delivery userid",  # Ipswitch IMail "Invalid final delivery userid: user@example.jp"
        "user not exist",  # McAfee appliances "User not exist"
        "no valid recipients",  # Verizon MMS gateway
        "please check if address is correct",  # Trend Micro InterScan
    ),
    pairs=(
        ("user", "unknown"),  # "User xx@yy unknown"
        ("mailbox", "not exist"),  # "mailbox xx does not exist"
        ("account", "does not exist"),  # Gmail "The email account that you tried to reach does not exist"
        ("user", "does not exist"),
        ("user", "doesn't exist"),
        ("recipient", "does not exist"),
        ("address", "does not exist"),
        ("no such", "user"),
    ),
)
