"""Matrix rendering and parsing rules, without a homeserver."""

from __future__ import annotations

import json

from bot.messages import (
    AttachmentKind,
    Button,
    Poll,
    item_choice,
    label_begun,
    shorten,
    typed_label,
)
from bot.transports.matrix_files import incoming_attachment
from bot.transports.matrix_format import (
    HTML_FORMAT,
    as_command,
    choices_markup,
    edit_content,
    html_to_plain,
    keycap_index,
    mention_of,
    parse_choice,
    parse_poll_end,
    parse_poll_response,
    poll_start_content,
    sanitize_html,
    strip_reply_fallback,
    text_content,
)
from bot.transports.matrix_memory import Choices, MatrixMemory

BOT = "@rewimet:localhost"


def test_html_is_sanitised_and_has_a_plain_body() -> None:
    content = text_content('<b>Hallo</b> <script>x()</script><a href="javascript:x">a</a>\nZeile')
    assert content["format"] == HTML_FORMAT
    assert "<script>" not in content["formatted_body"]
    assert "javascript" not in content["formatted_body"]
    assert content["formatted_body"].endswith("<br>Zeile")
    assert content["body"] == "Hallo a\nZeile"


def test_plain_text_has_no_formatted_body() -> None:
    assert text_content("Glück auf & gut") == {"msgtype": "m.text", "body": "Glück auf & gut"}


def test_links_are_spelled_out_in_the_plain_body() -> None:
    plain = html_to_plain(sanitize_html('Siehe <a href="https://rewimet.de/x">Seite</a>.'))
    assert plain == "Siehe Seite (https://rewimet.de/x)."
    assert html_to_plain('<a href="https://a.de">https://a.de</a>') == "https://a.de"
    assert html_to_plain("&lt;b&gt; 3 &amp; 4") == "<b> 3 & 4"


def test_edit_content() -> None:
    content = edit_content("<b>neu</b>", "$ev")
    assert content["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$ev"}
    assert content["m.new_content"]["body"] == "neu"
    assert content["body"] == "* neu"


def test_commands() -> None:
    assert as_command("!help") == "/help"
    assert as_command("  !Link ABC123 ") == "/link ABC123"
    assert as_command("/events") == "/events"
    assert as_command("! help") is None
    assert as_command("Hallo!") is None
    assert as_command("!!!") is None


def test_reply_fallback_is_dropped() -> None:
    assert strip_reply_fallback("> <@a:b> frage\n> zwei\n\nantwort") == "antwort"
    assert strip_reply_fallback("normal") == "normal"


def test_mentions() -> None:
    pill = {"formatted_body": f'<a href="https://matrix.to/#/{BOT}">REWIMET Bot</a>: Wann?'}
    assert mention_of(pill, "REWIMET Bot: Wann?", BOT, ["REWIMET Bot"]) == (True, "Wann?")
    assert mention_of({}, f"{BOT} hallo", BOT, []) == (True, "hallo")
    assert mention_of({}, "rewimet, hallo", BOT, ["rewimet"]) == (True, "hallo")
    assert mention_of({"m.mentions": {"user_ids": [BOT]}}, "x", BOT, []) == (True, "x")
    assert mention_of({}, "nur unter uns", BOT, ["REWIMET Bot"]) == (False, "nur unter uns")


def test_numbered_choices() -> None:
    markup = choices_markup([Button("Ja", "y"), Button("<Nein>", "n")])
    assert markup == "<b>1.</b> Ja\n<b>2.</b> &lt;Nein&gt;"
    assert parse_choice("2", 2) == 1
    assert parse_choice(" 1. ", 2) == 0
    assert parse_choice("(2)", 2) == 1
    assert parse_choice("2️⃣", 2) == 1
    assert parse_choice("3", 2) is None
    assert parse_choice("0", 2) is None
    assert parse_choice("ja", 2) is None
    # a question answered with a number letters its choices: a number is no choice there
    lettered = choices_markup([Button("Überspringen", "-")], lettered=True)
    assert lettered == "<b>a.</b> Überspringen"
    assert parse_choice("a", 1, lettered=True) == 0 and parse_choice("(A)", 1, lettered=True) == 0
    assert (
        parse_choice("1", 1, lettered=True) is None and parse_choice("b", 1, lettered=True) is None
    )
    assert keycap_index("1️⃣") == 0
    assert keycap_index("1\u20e3") == 0
    assert keycap_index("👍") is None


def test_poll_start_and_responses_in_both_namings() -> None:
    content = poll_start_content(Poll("event:1:dates", "Wann?", ("Mo", "Di"), multiple=True))
    start = content["org.matrix.msc3381.poll.start"]
    assert start["max_selections"] == 2
    assert [a["id"] for a in start["answers"]] == ["0", "1"]
    assert "1. Mo" in content["body"]

    relates = {"rel_type": "m.reference", "event_id": "$poll"}
    unstable = {"m.relates_to": relates, "org.matrix.msc3381.poll.response": {"answers": ["1"]}}
    stable = {"m.relates_to": relates, "m.selections": ["0", "1"]}
    r1 = parse_poll_response("org.matrix.msc3381.poll.response", unstable)
    r2 = parse_poll_response("m.poll.response", stable)
    assert r1 is not None and r1.poll_event_id == "$poll" and r1.answer_ids == ("1",)
    assert r2 is not None and r2.answer_ids == ("0", "1")
    assert parse_poll_response("m.poll.response", {"m.selections": []}) is None
    assert parse_poll_response("m.room.message", unstable) is None
    assert parse_poll_end("m.poll.end", {"m.relates_to": relates}) == "$poll"
    assert parse_poll_end("org.matrix.msc3381.poll.end", {}) is None


def test_options_from_settings() -> None:
    from bot.config import parse_settings
    from bot.transports.matrix import MatrixOptions

    raw: dict[str, object] = {
        "matrix": {
            "homeserver": "https://matrix.example.org",
            "user_id": "@bot:example.org",
            "rooms": ["#yp:example.org"],
            "trust": "verified_only",
        }
    }
    settings = parse_settings(raw, source="test", env={"REWIMET_MATRIX_PASSWORD": "geheim"})
    options = MatrixOptions.from_settings(settings.matrix, settings.network)
    assert options.password == "geheim" and options.access_token is None
    assert options.rooms == ("#yp:example.org",) and options.trust == "verified_only"
    assert str(options.store_path) == "matrix-store"


def test_error_responses_map_to_send_statuses() -> None:
    from nio import RoomSendError

    from bot.transports.base import SendStatus
    from bot.transports.matrix import _error_result

    limited = _error_result(RoomSendError("slow down", "M_LIMIT_EXCEEDED", 2500))
    assert limited.status is SendStatus.RETRY and limited.retry_after == 2.5
    assert _error_result(RoomSendError("no", "M_FORBIDDEN")).status is SendStatus.UNREACHABLE
    assert _error_result(RoomSendError("bad", "M_BAD_JSON")).status is SendStatus.FAILED
    assert _error_result(RoomSendError("token", "M_UNKNOWN_TOKEN")).status is SendStatus.RETRY


def test_media_events_become_attachments_with_their_caption() -> None:
    encrypted = {"url": "mxc://hs/abc", "key": {"k": "x"}, "iv": "i", "hashes": {"sha256": "h"}}
    found = incoming_attachment(
        {
            "msgtype": "m.image",
            "body": "Fotos vom Symposium",
            "filename": "saal.jpg",
            "info": {"mimetype": "image/jpeg", "size": 2048},
            "file": encrypted,
        }
    )
    assert found is not None
    attachment, caption = found
    assert caption == "Fotos vom Symposium"  # a body beside a filename is a caption
    assert (attachment.kind, attachment.filename, attachment.size) == (
        AttachmentKind.IMAGE, "saal.jpg", 2048,
    )  # fmt: skip
    assert json.loads(attachment.ref) == {"file": encrypted}
    plain = incoming_attachment({"msgtype": "m.file", "body": "plan.pdf", "url": "mxc://hs/p"})
    assert plain is not None and plain[1] == "" and plain[0].size is None
    assert plain[0].filename == "plan.pdf" and json.loads(plain[0].ref) == {"url": "mxc://hs/p"}
    video = incoming_attachment({"msgtype": "m.video", "body": "clip.mp4", "url": "mxc://hs/v"})
    assert video is not None and video[0].kind is AttachmentKind.OTHER
    assert incoming_attachment({"msgtype": "m.text", "body": "Hallo"}) is None


def test_a_label_is_typed_without_its_number_or_emoji() -> None:
    labels = ["#4 Exkursion Goslar Rammelsberg", "#5 Exkursion Freiberg", "👍 Hilfreich"]
    assert typed_label("Exkursion Goslar Rammelsberg", labels) == 0
    assert typed_label("exkursion freiberg!", labels) == 1
    assert typed_label("hilfreich", labels) == 2
    assert typed_label("Exkursion", labels) is None  # a part of two labels presses nothing
    assert typed_label("Freiberg Exkursion", labels) == 1  # its words in another order
    assert typed_label("#4 zurückziehen", ["Zurückziehen #4", "Zurückziehen #5"]) == 0
    office = ["Was kostet die Mitgliedschaft?", "Nichts davon – an die Geschäftsstelle"]
    assert typed_label("nichts davon", office) == 1  # the words before the dash name it
    assert typed_label("an die Geschäftsstelle", office) is None


def test_a_label_with_umlauts_is_typed_with_them_spelt_out() -> None:
    """The walkthrough's office typed "ueberspringen" under "Überspringen": refused."""
    labels = ["Überspringen", "Ändern", "Schließen", "Nicht für mich"]
    assert typed_label("ueberspringen", labels) == 0
    assert typed_label("Aendern", labels) == 1
    assert typed_label("schliessen", labels) == 2
    assert typed_label("nicht fuer mich", labels) == 3
    assert typed_label("überspringen", labels) == 0
    assert typed_label("uberspringen", labels) is None  # a letter left out is no spelling


def test_a_typed_number_presses_the_button_of_that_listed_item() -> None:
    items = [3, 5, None]  # "3 · Exkursion …", "5 · Symposium …", and a page button
    assert item_choice("5", items) == 1 and item_choice("#3", items) == 0
    assert item_choice("5.", items) == 1
    assert item_choice("4", items) is None and item_choice("Exkursion 5", items) is None
    assert item_choice("2", [None]) is None  # "How many places?": a number is its answer


def test_a_labels_start_names_it_only_in_whole_words_and_alone() -> None:
    labels = ["Was kostet die Mitgliedschaft?", "Nichts davon – an die Geschäftsstelle"]
    assert label_begun("nichts", labels) == "Nichts davon – an die Geschäftsstelle"
    assert label_begun("Nichts dav", labels) is None  # not a whole word
    assert label_begun("Nichts davon – an die Geschäftsstelle", labels) is None  # all of it
    assert label_begun("Exkursion", ["#4 Exkursion Goslar", "#5 Exkursion Freiberg"]) is None


def test_a_shortened_name_is_cut_at_a_word() -> None:
    # "/anfragen" had shown "Institut für Aufbereitung Clausthal (fi… vorstellen"
    name = "Institut für Aufbereitung Clausthal (fiktiv)"
    assert shorten(name, 40) == "Institut für Aufbereitung Clausthal…"
    assert shorten(name, 80) == name
    # no space early enough (a pasted link, a long compound): a readable part, cut in the word
    link = "https://example.org/" + "x" * 60
    assert shorten(link, 30) == link[:29] + "…" and len(shorten(link, 30)) == 30
    assert shorten("#3 Kreislaufwirtschaftsfachtagungsprogramm", 20) == "#3 Kreislaufwirtsch…"


class _Stored:
    """The transport's state store, as a dict (the database keeps it across a restart)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value

    async def record_route(self, platform: str, name: str, chat_id: str | None) -> None:
        return None


async def test_choices_numbered_on_over_two_messages_survive_a_restart() -> None:
    """/offen's two items, 1-2 under the first message and 3-4 under the second: after a
    restart a typed 3 is still the second's first choice, and a reaction 3️⃣ only under it."""
    store = _Stored()
    first = Choices("$first", ["ev:accept:1", "ev:leave:1"], ["Annehmen", "Ablehnen"])
    second = Choices("$second", ["ev:accept:2", "ev:leave:2"], ["Annehmen", "Ablehnen"])
    memory = MatrixMemory(store)
    await memory.put_choices("!dm", first)
    await memory.put_choices("!dm", first.followed_by(second))

    again = MatrixMemory(store)
    latest = await again.choices("!dm")
    assert latest is not None and latest.payloads[2] == "ev:accept:2"
    assert await again.choices_of_message("$second") == [None, None, "ev:accept:2", "ev:leave:2"]
    assert await again.choices_of_message("$first") == ["ev:accept:1", "ev:leave:1"]
    # choices stored before they were numbered on: all under their one message
    store.values["matrix:choices:!old"] = json.dumps({"event_id": "$old", "payloads": ["a"]})
    old = await MatrixMemory(store).choices("!old")
    assert old is not None and old.under("$old") == ["a"] and old.under("$first") is None


def test_a_label_is_typed_in_the_other_language_too() -> None:
    """A German member typed "interested" under "Interessiert": "keine Auswahl" was said."""
    german = ["✅ Interessiert", "Nicht für mich"]
    assert typed_label("interested", german) == 0
    assert typed_label("Not for me", german) == 1
    english = ["Interested", "Not for me"]
    assert typed_label("interessiert", english) == 0
    assert typed_label("nicht fuer mich", english) == 1
    # a start of the other language's words is not all of them
    assert typed_label("not", german) is None
