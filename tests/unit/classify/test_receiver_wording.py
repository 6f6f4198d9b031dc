"""Real-world replies of the big receivers -> reason and category, one row per wording.

Texts follow the receivers' published or widely quoted bounce wording; addresses and IPs
are placeholders.
"""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import classify_reply

H, S, B = Category.HARD, Category.SOFT, Category.BLOCK
R = Reason

ROWS: list[tuple[str, str, Reason, Category]] = [
    # --- Gmail / Google Workspace ---
    (
        "gmail",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces.",
        R.USERUNKNOWN,
        H,
    ),
    ("gmail", "552-5.2.2 The email account that you tried to reach is over quota.", R.MAILBOXFULL, S),
    ("gmail", "550-5.2.1 The email account that you tried to reach is disabled.", R.SUSPEND, S),
    (
        "gmail",
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
        "requires all senders to authenticate with either SPF or DKIM.",
        R.AUTHFAILURE,
        B,
    ),
    (
        "gmail",
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.",
        R.AUTHFAILURE,
        B,
    ),
    (
        "gmail",
        "550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited "
        "mail. To reduce the amount of spam sent to Gmail, this message has been blocked.",
        R.SPAMDETECTED,
        B,
    ),
    (
        "gmail",
        "550-5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record "
        "setup, or the corresponding forward DNS entry does not point to the sending IP.",
        R.REQUIREPTR,
        B,
    ),
    (
        "gmail",
        "550-5.7.1 This message is not RFC 5322 compliant. There are multiple From headers.",
        R.NOTCOMPLIANTRFC,
        B,
    ),
    (
        "gmail",
        "552-5.7.0 This message was blocked because its content presents a potential security issue.",
        R.POLICYVIOLATION,
        B,
    ),
    (
        "gmail",
        "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents "
        "additional messages from being delivered.",
        R.SPEEDING,
        S,
    ),
    (
        "gmail",
        "553-5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors.",
        R.HOSTUNKNOWN,
        H,
    ),
    ("gmail", "552-5.2.3 Your message exceeded Google's message size limits.", R.EXCEEDLIMIT, S),
    ("gmail", "530-5.7.0 Must issue a STARTTLS command first.", R.FAILEDSTARTTLS, S),
    ("gmail", "451-4.3.0 Mail server temporarily rejected message.", R.SYSTEMERROR, S),
    (
        "gmail",
        "550-5.7.1 [192.0.2.1] Messages with multiple addresses in From: header are not accepted.",
        R.NOTCOMPLIANTRFC,
        B,
    ),
    (
        "gmail",
        "550 5.1.1 The email account that you tried to reach does not exist.\n"
        "550 5.1.1 Please try double-checking the recipient's email address",
        R.USERUNKNOWN,
        H,
    ),
    # --- Microsoft 365 / Outlook.com ---
    ("m365", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", R.USERUNKNOWN, H),
    ("m365", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", R.USERUNKNOWN, H),
    ("m365", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", R.USERUNKNOWN, H),
    (
        "m365",
        "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this "
        "list please visit https://sender.office.com/",
        R.BLOCKED,
        B,
    ),
    ("m365", "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", R.BLOCKED, B),
    (
        "m365",
        "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification "
        "and has a DMARC policy of reject.",
        R.AUTHFAILURE,
        B,
    ),
    ("m365", "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException", R.MAILBOXFULL, S),
    ("m365", "452 4.5.3 Too many recipients", R.TOOMANYCONN, S),
    ("m365", "421 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719)", R.SPEEDING, S),
    (
        "outlook",
        "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your "
        "Internet service provider since part of their network is on our block list (S3150).",
        R.BLOCKED,
        B,
    ),
    ("outlook", "550 SC-001 (BAY004-MC1F41) Unfortunately, messages from 192.0.2.1 weren't sent.", R.BLOCKED, B),
    ("outlook", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).", R.USERUNKNOWN, H),
    ("outlook", "550 domain [example.com] mismatches client ip 192.0.2.225.", R.REQUIREPTR, B),
    (
        "outlook",
        "554 The mail could not be delivered to the recipient because the domain is not "
        "reachable. Please check the domain and try again",
        R.HOSTUNKNOWN,
        H,
    ),
    # --- Yahoo / AOL ---
    (
        "yahoo",
        "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - "
        "mta1234.mail.bf1.yahoo.com",
        R.USERUNKNOWN,
        H,
    ),
    ("yahoo", "552 1 Requested mail action aborted, mailbox not found", R.USERUNKNOWN, H),
    (
        "yahoo",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
        "or user complaints - 4.16.55.1",
        R.BADREPUTATION,
        B,
    ),
    (
        "yahoo",
        "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.",
        R.BADREPUTATION,
        B,
    ),
    ("yahoo", "554 5.7.9 Message not accepted for policy reasons.", R.POLICYVIOLATION, B),
    (
        "yahoo",
        "421 4.7.1 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints",
        R.BADREPUTATION,
        B,
    ),
    ("aol", "550 5.1.1 <x@aol.com>: Recipient address rejected: aol.com", R.USERUNKNOWN, H),
    # --- iCloud ---
    ("icloud", "550 5.1.1 <x@icloud.com>: user does not exist", R.USERUNKNOWN, H),
    ("icloud", "554 5.7.1 [CS01] Message rejected due to local policy.", R.POLICYVIOLATION, B),
    ("icloud", "554 st11p00im-smtpin013.me.com ESMTP not accepting connections", R.BLOCKED, B),
    # --- GMX / web.de ---
    ("gmx", "550 Requested action not taken: mailbox unavailable", R.USERUNKNOWN, H),
    ("gmx", "554-Transaction failed 554-Reject due to policy restrictions.", R.POLICYVIOLATION, B),
    ("gmx", "552 Requested mail action aborted: exceeded storage allocation", R.MAILBOXFULL, S),
    ("web.de", "550 Sender address is not allowed.", R.REJECTED, S),
    # --- Yandex ---
    ("yandex", "550 5.7.1 No such user!", R.USERUNKNOWN, H),
    ("yandex", "552 5.2.2 Mailbox is full", R.MAILBOXFULL, S),
    ("yandex", "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc", R.SPAMDETECTED, B),
    ("yandex", "550 5.7.1 Policy rejection on the target address", R.POLICYVIOLATION, B),
    # --- Mail.ru ---
    (
        "mail.ru",
        "550 Message was not accepted -- invalid mailbox. Local mailbox x@mail.ru is unavailable: user not found",
        R.USERUNKNOWN,
        H,
    ),
    (
        "mail.ru",
        "550 Message was not accepted -- invalid mailbox. Local mailbox x@mail.ru is unavailable: account is disabled",
        R.SUSPEND,
        S,
    ),
    ("mail.ru", "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id", R.SPAMDETECTED, B),
    # --- Proofpoint ---
    ("proofpoint", "550 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", R.BLOCKED, B),
    ("proofpoint", "554 5.7.1 Message blocked due to spam content in the message.", R.SPAMDETECTED, B),
    (
        "proofpoint",
        "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1",
        R.BLOCKED,
        B,
    ),
    # --- Mimecast ---
    ("mimecast", "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550", R.USERUNKNOWN, H),
    (
        "mimecast",
        "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369",
        R.POLICYVIOLATION,
        B,
    ),
    ("mimecast", "451 Open relay not allowed - https://community.mimecast.com/docs/DOC-1369#451", R.NORELAYING, S),
    ("mimecast", "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550", R.FILTERED, S),
    # --- Barracuda ---
    (
        "barracuda",
        "554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; "
        "http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1",
        R.BADREPUTATION,
        B,
    ),
    ("barracuda", "550 5.7.1 Message rejected as spam by Content Filtering.", R.SPAMDETECTED, B),
    # --- Cisco IronPort ---
    (
        "ironport",
        "550 5.7.1 Your access to this mail system has been rejected due to the sending MTA's poor reputation.",
        R.BADREPUTATION,
        B,
    ),
    ("ironport", "452 4.3.1 Out of memory", R.SYSTEMFULL, S),
    # --- Postfix / Exim / Sendmail / qmail / Dovecot defaults ---
    (
        "postfix",
        "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in local recipient table",
        R.USERUNKNOWN,
        H,
    ),
    ("postfix", "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", R.REQUIREPTR, B),
    ("postfix", "554 5.7.1 <x@example.org>: Relay access denied", R.NORELAYING, S),
    ("postfix", "552 5.3.4 Message size exceeds fixed limit", R.MESGTOOBIG, S),
    ("postfix", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", R.BLOCKED, B),
    (
        "postfix",
        "450 4.2.0 <x@example.org>: Recipient address rejected: Greylisted, see "
        "http://postgrey.schweikert.ch/help/example.org.html",
        R.ONHOLD,
        S,
    ),
    ("postfix", "452 4.3.2 Connection rate limit exceeded.", R.TOOMANYCONN, S),
    ("postfix", "553 5.1.8 <x@example.org>... Domain of sender address x@example.org does not exist", R.REJECTED, S),
    ("exim", "550 Unrouteable address", R.HOSTUNKNOWN, H),
    ("exim", "550 Verification failed for <x@example.org> Unrouteable address Sender verify failed", R.REJECTED, S),
    ("exim", "550 Bad SPF records for [example.org:192.0.2.2]", R.AUTHFAILURE, B),
    ("sendmail", "550 5.1.1 <x@example.org>... User unknown", R.USERUNKNOWN, H),
    ("sendmail", "451 4.4.1 reply: read error from mx.example.com.", R.NETWORKERROR, S),
    ("sendmail", "452 4.4.5 Insufficient disk space; try again later", R.SYSTEMFULL, S),
    ("sendmail", "550 5.7.1 IP address blacklisted by recipient", R.BLOCKED, B),
    ("qmail", "Sorry, no mailbox here by that name. (#5.1.1)", R.USERUNKNOWN, H),
    ("qmail", "Sorry, I couldn't find any host named example.invalid. (#5.1.2)", R.HOSTUNKNOWN, H),
    ("qmail", "This message is looping: it already has my Delivered-To line. (#5.4.6)", R.NETWORKERROR, S),
    ("qmail", "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", R.NOTACCEPT, H),
    ("dovecot", "552 5.2.2 <x@example.org> Quota exceeded (mailbox for user is full)", R.MAILBOXFULL, S),
    ("milter-greylist", "451 4.7.1 Greylisting in action, please come back later", R.ONHOLD, S),
    # --- Tencent QQ, GoDaddy, La Poste / Orange ---
    (
        "qq",
        "550 Ip frequency limited [xx Blocked IP 192.0.2.22]. http://service.mail.qq.com/cgi-bin/help",
        R.TOOMANYCONN,
        S,
    ),
    (
        "godaddy",
        "550 5.1.1 <x@example.com> - 192.0.2.22 has sent to too many recipients this hour. IB607",
        R.TOOMANYCONN,
        S,
    ),
    ("laposte", "550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked.", R.SUSPEND, S),
    (
        "orange",
        "421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later.",
        R.BLOCKED,
        B,
    ),
    # --- older MTAs and list servers ---
    ("exchange2003", "The recipient name is not recognized MSEXCH:IMS:NNN:CAT 0 (000C05A6)", R.USERUNKNOWN, H),
    ("fml", "You are not a member of this mailing list <a@example.org>.", R.REJECTED, S),
    ("fml", "Duplicated Message-ID in <a@example.org>.", R.SYSTEMERROR, S),
    ("gmail", "500 Remote server does not support TLS (state 6).", R.FAILEDSTARTTLS, S),
    ("x3", "Delevery to the following recipients was aborted after 5.0 hour(s): * a@example.jp", R.EXPIRED, S),
    ("exim", "550 Sorry, you are sending to/from an address that has been blacklisted", R.REJECTED, S),
]


@pytest.mark.parametrize(
    ("receiver", "reply", "reason", "category"), ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)]
)
def test_receiver_wording(receiver: str, reply: str, reason: Reason, category: Category) -> None:
    verdict = classify_reply(reply)
    assert (verdict.reason, verdict.category) == (reason, category), verdict.why


def test_at_least_sixty_real_world_rows() -> None:
    assert len(ROWS) >= 60
