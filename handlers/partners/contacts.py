"""Contact details and markup in what a member writes for others to read: a partner
search's need (removed from it) and the organisation or role shown beside it (refused)."""

from __future__ import annotations

import re

REDACTED = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.-]{2,}(?::[\w.-]+)?")
# German and international phone numbers: +49 ..., 0531 ...; at least seven digits.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|0)\d[\d /().-]{5,}\d")


def redact_contacts(text: str, *, own_contact: str = "") -> str:
    """Remove e-mail addresses, phone numbers, links and handles from a need.

    A request travels to members before anyone agreed to an introduction; the requester's
    contact must not travel with it, even when they typed it into the text.
    """
    if own_contact.strip() and len(own_contact.strip()) >= 4:
        text = re.sub(re.escape(own_contact.strip()), REDACTED, text, flags=re.IGNORECASE)
    for pattern in (_EMAIL, _URL, _HANDLE):
        text = pattern.sub(REDACTED, text)

    def phone(match: re.Match[str]) -> str:
        digits = sum(ch.isdigit() for ch in match.group(0))
        return REDACTED if digits >= 7 else match.group(0)

    return _PHONE.sub(phone, text)


# Markup typed into a need ("<b>Wir suchen</b>") or a name: the members it goes to would read
# the tags.
MARKUP_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
