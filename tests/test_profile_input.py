"""What members type into their profile reaches the office's spreadsheets and other members'
messages: no field starts as a formula, and markdown around words is kept as its words.

Invented cases, German and English: a topic "=cmd|calc!A1" is refused as an organisation
starting with "=" is; "*Magnet AG*" is stored as "Magnet AG" and the member is told so; an
export makes any stored value text, even one stored before these rules.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from handlers.events.export import Attendee, attendees_csv
from handlers.members.directory_import import export_directory
from handlers.members.rules import (
    FORMULA_SIGNS,
    parse_contact,
    parse_name,
    read_topics,
    unmarked,
)
from handlers.spreadsheet import is_formula_like, safe_cell, spreadsheet_csv
from storage import members
from storage.models import Member
from tests.harness import Harness

TOPIC_REFUSED = {
    "de": "„=cmd|calc!A1“ habe ich nicht gespeichert: Ein Thema darf nicht mit „=“ beginnen",
    "en": "“=cmd|calc!A1” was not saved: a topic must not start with “=”",
}


@pytest.mark.parametrize(("lang", "command"), [("de", "/themen"), ("en", "/topics")])
async def test_a_topic_starting_as_a_formula_is_refused_and_nothing_changes(
    bot: Harness, lang: str, command: str
) -> None:
    await bot.onboard("ida", lang=lang)  # Batterierecycling; Hydrometallurgie
    for typed in ("=cmd|calc!A1; cobalt", "+ =cmd|calc!A1", "Kobalt, =cmd|calc!A1 und Nickel"):
        refused = await bot.send("ida", f"{command} {typed}")
        assert TOPIC_REFUSED[lang] in refused.text, (typed, refused.text)
        assert "Gespeichert" not in refused.text and "Saved" not in refused.text
    for typed, sign in (("@SUM(A1)", "@"), ("Kobalt; +1+1", "+"), ("*=1+1*", "=")):
        refused = await bot.send("ida", f"{command} {typed}")
        assert f"mit „{sign}“ beginnen" in refused.text or f"start with “{sign}”" in refused.text
        assert "Gespeichert" not in refused.text and "Saved" not in refused.text
    member = await bot.member("ida")
    assert member is not None and member.topics == ["Batterierecycling", "Hydrometallurgie"]
    # A list typed one topic a line with bullets is a list, not a minus.
    bullets = await bot.send("ida", f"{command} Kobalt\n- Lithium\n• Nickel")
    member = await bot.member("ida")
    assert member is not None and member.topics == ["Kobalt", "Lithium", "Nickel"], bullets.text


@pytest.mark.parametrize(
    ("typed", "topics"),
    [
        ("• Kobalt • Lithium • Nickel", ["Kobalt", "Lithium", "Nickel"]),
        ("Kobalt • Lithium-Ionen • E-Schrott", ["Kobalt", "Lithium-Ionen", "E-Schrott"]),
        ("Kobalt · Gallium · Indium", ["Kobalt", "Gallium", "Indium"]),
        ("Kobalt – Zinn — Nickel", ["Kobalt", "Zinn", "Nickel"]),
        ("Kobalt - E-Schrott - Lithium-Ionen", ["Kobalt", "E-Schrott", "Lithium-Ionen"]),
        ("1) cobalt 2) nickel", ["cobalt", "nickel"]),
        ("1. ISO 14001 2. 3D-Druck 3. Kobalt", ["ISO 14001", "3D-Druck", "Kobalt"]),
        ("a) rare earths b) ISO 14001", ["rare earths", "ISO 14001"]),
        ("1) Kobalt, Nickel 2) Lithium", ["Kobalt", "Nickel", "Lithium"]),
        # one topic each: hyphens, numbers and dots inside words stay
        ("Lithium-Ionen", ["Lithium-Ionen"]),
        ("ISO 14001", ["ISO 14001"]),
        ("3D-Druck", ["3D-Druck"]),
        ("Industrie 4.0", ["Industrie 4.0"]),
        ("Ingenieur·innen", ["Ingenieur·innen"]),
        ("Projekte 2020–2024", ["Projekte 2020–2024"]),
    ],
)
def test_bullets_and_numbers_between_topics_on_one_line_separate_them(
    typed: str, topics: list[str]
) -> None:
    assert read_topics(typed).kept == topics


@pytest.mark.parametrize(("lang", "command"), [("de", "/themen"), ("en", "/topics")])
async def test_a_bulleted_topic_list_on_one_line_is_stored_as_topics(
    bot: Harness, lang: str, command: str
) -> None:
    """The walkthrough: "/themen • Kobalt • Lithium • Nickel" became one topic, which
    "/themen - Kobalt" then did not find."""
    await bot.onboard("rut", lang=lang)
    await bot.send("rut", f"{command} • Kobalt • Lithium • Nickel")
    member = await bot.member("rut")
    assert member is not None and member.topics == ["Kobalt", "Lithium", "Nickel"]
    await bot.send("rut", f"{command} - Kobalt")
    member = await bot.member("rut")
    assert member is not None and member.topics == ["Lithium", "Nickel"]
    await bot.send("rut", f"{command} 1) cobalt 2) nickel")
    member = await bot.member("rut")
    assert member is not None and member.topics == ["cobalt", "nickel"]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_registration_reads_a_numbered_topic_list_on_one_line(
    bot: Harness, lang: str
) -> None:
    await bot.send("udo", "/start")
    await bot.press("udo", f"ob:language:{lang}")
    await bot.send("udo", "Harz Metall GmbH")
    await bot.send("udo", "Forschung")
    await bot.send("udo", "1. Lithium-Ionen 2. E-Schrott 3. ISO 14001")
    member = await bot.member("udo")
    assert member is not None and member.topics == ["Lithium-Ionen", "E-Schrott", "ISO 14001"]


async def test_the_registration_refuses_a_formula_topic_and_asks_again(bot: Harness) -> None:
    await bot.send("jan", "/start")
    await bot.press("jan", "ob:language:de")
    await bot.send("jan", "Harz Metall GmbH")
    await bot.send("jan", "Forschung")
    refused = await bot.send("jan", "=cmd|calc!A1; Kobalt")
    assert TOPIC_REFUSED["de"] in refused.text, refused.text
    member = await bot.member("jan")
    assert member is not None and member.topics == []
    asked = await bot.send("jan", "- Kobalt\n- Lithium")
    assert "Partneranfragen" in asked.text, asked.text  # the next question
    member = await bot.member("jan")
    assert member is not None and member.topics == ["Kobalt", "Lithium"]


@pytest.mark.parametrize(
    ("lang", "saved"),
    [
        ("de", "Gespeichert als „Magnet AG“, ohne die Formatierungszeichen „*“"),
        ("en", "Saved as “Magnet AG”, without the formatting marks “*”"),
    ],
)
async def test_markdown_around_an_organisation_is_left_out_and_said(
    bot: Harness, lang: str, saved: str
) -> None:
    """Our messages are HTML: "*Magnet AG*" would reach partner requests with its asterisks."""
    await bot.send("kim", "/start")
    await bot.press("kim", f"ob:language:{lang}")
    asked = await bot.send("kim", "*Magnet AG*")
    assert saved in asked.text, asked.text
    role = await bot.send("kim", "**Leitung** _Einkauf_")
    assert "Leitung Einkauf" in role.text and "**" in role.text, role.text
    topics = await bot.send("kim", "`Kobalt`; Seltene Erden")
    assert "Kobalt; Seltene Erden" in topics.text and "`" in topics.text, topics.text
    member = await bot.member("kim")
    assert member is not None
    assert (member.organisation, member.role) == ("Magnet AG", "Leitung Einkauf")
    assert member.topics == ["Kobalt", "Seltene Erden"]
    await bot.onboard("lou", lang=lang)
    for typed, stored in (
        ("/organisation **Harz Metall** GmbH", "Harz Metall GmbH"),
        ("/role `Forschung`", "Forschung"),
    ):
        reply = await bot.send("lou", typed)
        assert stored in reply.text and ("Saved" in reply.text or "Gespeichert" in reply.text)
        assert "*" not in reply.text.split("\n")[-2] and "`" not in reply.text.split("\n")[-2]
    member = await bot.member("lou")
    assert member is not None and (member.organisation, member.role) == (
        "Harz Metall GmbH",
        "Forschung",
    )
    # A name written with underscores inside its words keeps them; tags are still refused.
    kept = await bot.send("lou", "/organisation snake_case GmbH")
    assert "formatting marks" not in kept.text and "Formatierungszeichen" not in kept.text
    tagged = await bot.send("lou", "/organisation <b>Magnet AG</b>")
    assert "<b>" in tagged.text and "Saved" not in tagged.text and "Gespeichert" not in tagged.text
    member = await bot.member("lou")
    assert member is not None and member.organisation == "snake_case GmbH"


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [("de", "Bitte nicht mit „=“ beginnen"), ("en", "Please do not start with “=”")],
)
async def test_a_contact_starting_as_a_formula_is_refused_but_a_handle_or_phone_kept(
    bot: Harness, lang: str, refusal: str
) -> None:
    await bot.onboard("mia", lang=lang)
    refused = await bot.send("mia", '/contact =HYPERLINK("http://evil.example") mia@harz.example')
    assert refusal in refused.text, refused.text
    member = await bot.member("mia")
    assert member is not None and member.contact == ""
    for typed, stored in (
        ("@mia_harz", "@mia_harz"),
        ("+49 5323 123456", "+49 5323 123456"),
        ("*mia@harz.example*", "mia@harz.example"),
        ("_mia_@harz.example", "_mia_@harz.example"),
    ):
        await bot.send("mia", f"/contact {typed}")
        member = await bot.member("mia")
        assert member is not None and member.contact == stored, typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # the sentence leading to it is no part of how partners reach the member
        ("you can reach me at lena@harz.example", "lena@harz.example"),
        ("Sie erreichen mich unter 05323 123456", "05323 123456"),
        ("Mail: lena@harz.example", "lena@harz.example"),
        (
            "meine Mail ist lena@harz.example, mobil 0151 234567",
            "lena@harz.example, mobil 0151 234567",
        ),
        # a name before it stays, and so does what names no contact
        ("Lena Beispiel, lena@harz.example", "Lena Beispiel, lena@harz.example"),
        ("@lena:matrix.example", "@lena:matrix.example"),
    ],
)
def test_a_contact_typed_in_a_sentence_is_stored_without_it(typed: str, stored: str) -> None:
    assert parse_contact(typed) == stored


def test_an_export_makes_values_stored_before_the_rules_text() -> None:
    """A topic or role stored before a leading sign was refused, spaces before it or not,
    is a text cell in the directory export and the roster, never a formula."""
    old = Member(
        id=7,
        external_id="x7",
        organisation=" =cmd|' /C calc'!A0",
        kind="company",
        city="Goslar",
        role="\n@SUM(1+1)",
        topics=["=cmd|calc!A1", "Kobalt"],
        bio="",
        languages=["de"],
        language="de",
        contact=" +cmd",
        young_professional=False,
    )
    exported = export_directory([old])
    assert "'=cmd|calc!A1;Kobalt" in exported, exported
    assert "' =cmd" in exported and "'\n@SUM" in exported and "' +cmd" in exported, exported
    roster = attendees_csv(
        [Attendee(7, " =Eve", " -1+cmd", "x", "confirmed", None, datetime(2027, 1, 5, tzinfo=UTC))],
        lang="de",
    ).decode()
    assert "' =Eve;' -1+cmd" in roster, roster


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
@example(" =cmd|' /C calc'!A0")
@example("\n@SUM(1+1)")
@example("\x0c@")
def test_no_spreadsheet_cell_starts_as_a_formula(value: str) -> None:
    cell = safe_cell(value)
    assert cell.startswith("'") or not cell.lstrip().startswith(FORMULA_SIGNS)
    assert spreadsheet_csv([[value]]).startswith("\ufeff")


NAMES = st.text(alphabet=st.sampled_from("=+-@*_`~ abcXYZäß<>|!1"), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_a_stored_name_topic_or_contact_starts_as_no_formula_and_without_emphasis(
    typed: str,
) -> None:
    """Whatever is typed, what is stored as an organisation, role or topic starts with no
    formula sign and is not wrapped in emphasis marks; a contact starts with none but as a
    handle or phone number does."""
    stored: list[str] = []
    for parse in (parse_name, lambda text: "; ".join(read_topics(text).kept)):
        try:
            stored.append(parse(typed))
        except UserError:
            continue
    for value in stored:
        assert not value.startswith(FORMULA_SIGNS), (typed, value)
        assert unmarked(value) == value, (typed, value)  # no emphasis left around words
    try:
        contact = parse_contact(typed + " x@harz.example")
    except UserError:
        return
    assert not is_formula_like(contact) or contact[0] in "@+", (typed, contact)


async def test_stored_topics_named_as_typed_can_still_be_removed(bot: Harness) -> None:
    """A topic stored before the rule ("=cmd|calc!A1") goes with "-" as typed."""
    await bot.onboard("ned", lang="en")
    ned = await bot.member("ned")
    assert ned is not None
    async with bot.db.session() as session:
        await members.update_member(session, member_id=ned.id, topics=["=cmd|calc!A1", "Kobalt"])
    removed = await bot.send("ned", "/topics - =cmd|calc!A1")
    assert "Saved – Topics: Kobalt" in removed.text, removed.text
