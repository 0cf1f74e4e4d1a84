"""Contact details and markup in what a member writes for others to read: a partner
search's need (removed from it) and the organisation or role shown beside it (refused)."""

from __future__ import annotations

import re

REDACTED = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A link ends before the punctuation that ends its sentence ("www.x.de, danke" keeps its comma).
_URL = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))", re.IGNORECASE)
# A bare domain ("harz-recycling.de", "example.com/kontakt"): labels joined by dots, ending
# in a domain ending members use (German and neighbouring countries, the common generic ones,
# German city and region endings, and the reserved "example"/"test" of demo data). An
# abbreviation is no domain: its dot is followed by a space ("Dr. Müller", "Co. KG"), by one
# letter ("z.B.", "e.V."), or by a capitalised word ("Abt.Org", "St.Andreasberg"), so the
# ending is matched written in one case only ("harz.de", "HARZ.DE"). Endings that are also
# abbreviations or short words ("co", "kg", "no", "it") are left out. A path goes with it, not
# the punctuation after it ("example.com/kontakt, bitte").
_DOMAIN_ENDINGS = (
    "de|at|ch|li|lu|nl|be|fr|es|pl|cz|dk|se|fi|eu|uk|com|org|net|info|biz|io|app|dev|edu|gov|"
    "online|shop|site|tech|berlin|hamburg|koeln|cologne|bayern|nrw|ruhr|saarland|example|test"
)
_ENDING = f"{_DOMAIN_ENDINGS}|{_DOMAIN_ENDINGS.upper()}"
_DOMAIN = re.compile(
    rf"(?<![\w.@:/-])(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:{_ENDING})(?![\w-])"  # labels, ending
    r"(?:[/?#](?:\S*[^\s.,;:!?)])?)?"  # a path
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.-]{2,}(?::[\w.-]+)?")
# German and international phone numbers: +49 ..., 0531 ...; at least seven digits.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|0)\d[\d /().-]{5,}\d")


def redact_contacts(text: str, *, own_contact: str = "") -> str:
    """Remove e-mail addresses, phone numbers, links (bare domains too) and handles from a need.

    A request travels to members before anyone agreed to an introduction; the requester's
    contact must not travel with it, even when they typed it into the text.
    """
    if own_contact.strip() and len(own_contact.strip()) >= 4:
        text = re.sub(re.escape(own_contact.strip()), REDACTED, text, flags=re.IGNORECASE)
    # The domain last: one inside an address or a handle ("@max:harz.de") goes with it.
    for pattern in (_EMAIL, _URL, _HANDLE, _DOMAIN):
        text = pattern.sub(REDACTED, text)

    def phone(match: re.Match[str]) -> str:
        digits = sum(ch.isdigit() for ch in match.group(0))
        return REDACTED if digits >= 7 else match.group(0)

    return _PHONE.sub(phone, text)
