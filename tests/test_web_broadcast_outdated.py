"""The dashboard's broadcast preview when the German text was edited after its English version
was written (or the English one after its German version): a warning, and the choice to
replace, keep or send one language only; no Send before it (the old version had been sent)."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from storage.broadcasts import Broadcast
from tests.test_broadcast import deliver, network
from tests.test_web_broadcasts import PNG, post_form, signed_in
from tests.web_harness import Dashboard, SignedIn, dashboard_for

GERMAN = "Der Werkstattbesuch bei der Kupferhütte ist am Dienstag um 10 Uhr."
ENGLISH = "The workshop visit at the copper smelter is on Tuesday at 10."
LATER = "Der Werkstattbesuch bei der Kupferhütte ist erst am Donnerstag um 14 Uhr."
LATER_EN = "The workshop visit at the copper smelter is on Thursday at 2 pm."

SAY = {
    "de": {
        "outdated_en": "Die englische Fassung wurde für einen früheren deutschen Text geschrieben",
        "outdated_de": "Die deutsche Fassung wurde für einen früheren englischen Text geschrieben",
        "replace": "Englische Fassung ersetzen",
        "keep": "So lassen",
        "only_german": "Nur Deutsch",
        "only_english": "Nur Englisch",
        "rewrite": "Schreiben Sie die englische Fassung neu",
        "kept": "Die englische Fassung bleibt, wie sie ist.",
        "dropped": "Englische Fassung entfernt",
        "send": "Jetzt senden",
    },
    "en": {
        "outdated_en": "The English version was written for an earlier German text",
        "outdated_de": "The German version was written for an earlier English text",
        "replace": "Replace English version",
        "keep": "Keep it as it is",
        "only_german": "German only",
        "only_english": "English only",
        "rewrite": "Write the English version anew",
        "kept": "The English version stays as it is.",
        "dropped": "English version removed",
        "send": "Send now",
    },
}


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        await network(found.bot)
        yield found


def form_of(page: str, action: str, choice: str = "") -> dict[str, str]:
    """The hidden fields of the page's form posting to `action` (with `choice`, if given), as
    the browser sends them; the CSRF field is added by the post."""
    for form in re.findall(rf'<form method="post" action="{action}">(.*?)</form>', page, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
        fields = {name: html.unescape(value) for name, value in fields.items()}
        if not choice or fields.get("choice") == choice:
            fields.pop("csrf", None)
            return fields
    raise AssertionError(f"no form to {action} {choice} in the page")


async def stored(dash: Dashboard) -> list[tuple[str, str]]:
    async with dash.bot.db.session() as session:
        rows = (await session.execute(select(Broadcast.text, Broadcast.text_en))).all()
    return [(text, text_en) for text, text_en in rows]


async def german_edited(
    admin: SignedIn, lang: str, file: tuple[str, bytes, str] | None = None
) -> str:
    """Written with both versions, previewed, *Edit*, the German box changed (and `file`
    chosen with it): the preview."""
    await admin.get(f"/language?lang={lang}")
    fields = {"text": GERMAN, "text_en": ENGLISH, "audience": "all"}
    status, first = await post_form(admin, "/broadcasts/preview", fields)
    assert status == 200 and SAY[lang]["outdated_en"] not in first
    assert SAY[lang]["send"] in first
    status, form = await admin.post("/broadcasts/edit", form_of(first, "/broadcasts/edit"))
    assert status == 200 and 'name="translation"' in form
    translation = re.search(r'name="translation" value="([^"]*)"', form)
    assert translation is not None
    edited = {**fields, "text": LATER, "translation": translation.group(1)}
    status, preview = await post_form(admin, "/broadcasts/preview", edited, file)
    assert status == 200, preview
    return preview


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_edited_german_text_warns_and_offers_no_send(dash: Dashboard, lang: str) -> None:
    """The warning, the three choices and no Send; a Send posted anyway (an old tab) sends
    nothing and shows the warning; "Replace" goes back to the form at the English box, and
    the new English version sends both as they are now."""
    say = SAY[lang]
    admin = await signed_in(dash)
    preview = await german_edited(admin, lang)
    assert say["outdated_en"] in preview and 'role="alert"' in preview
    for label in (say["replace"], say["keep"], say["only_german"]):
        assert f">{label}</button>" in preview, label
    assert 'action="/broadcasts/send"' not in preview and say["send"] not in preview
    forged = form_of(preview, "/broadcasts/versions", "keep")
    status, again = await admin.post("/broadcasts/send", {"nonce": forged["nonce"]})
    assert status == 409 and say["outdated_en"] in again
    assert await stored(dash) == []
    status, form = await admin.post("/broadcasts/edit", form_of(again, "/broadcasts/edit"))
    assert status == 200 and say["rewrite"] in form, form
    assert re.search(r'id="bc-text-en" name="text_en" rows="6" autofocus', form)
    assert f"{ENGLISH}</textarea>" in form and f"{LATER}</textarea>" in form
    translation = re.search(r'name="translation" value="([^"]*)"', form)
    assert translation is not None
    fields = {"text": LATER, "text_en": LATER_EN, "audience": "all"}
    fields["translation"] = translation.group(1)
    status, fresh = await post_form(admin, "/broadcasts/preview", fields)
    assert say["outdated_en"] not in fresh and say["send"] in fresh
    status, _ = await admin.post("/broadcasts/send", form_of(fresh, "/broadcasts/send"))
    assert status == 303
    assert await stored(dash) == [(LATER, LATER_EN)]
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_kept_as_it_is_or_german_only_then_sent(dash: Dashboard, lang: str) -> None:
    """ "Keep it as it is": the preview says so and offers Send; "German only": the English
    reader gets the German text."""
    say = SAY[lang]
    admin = await signed_in(dash)
    preview = await german_edited(admin, lang)
    keep = form_of(preview, "/broadcasts/versions", "keep")
    status, kept = await admin.post("/broadcasts/versions", keep)
    assert status == 200 and say["kept"] in kept and say["outdated_en"] not in kept
    assert (await admin.post("/broadcasts/send", form_of(kept, "/broadcasts/send")))[0] == 303
    preview = await german_edited(admin, lang)
    only = form_of(preview, "/broadcasts/versions", "only")
    status, dropped = await admin.post("/broadcasts/versions", only)
    assert status == 200 and say["dropped"] in dropped and say["outdated_en"] not in dropped
    assert ENGLISH not in dropped
    assert (await admin.post("/broadcasts/send", form_of(dropped, "/broadcasts/send")))[0] == 303
    assert await stored(dash) == [(LATER, ENGLISH), (LATER, "")]
    sent = [(a.chat_id, a.text) for a in (await deliver(dash.bot)).sent()]
    to_ben = [text for chat, text in sent if chat == "chat-ben"]
    assert len(to_ben) == 2 and ENGLISH in to_ben[0] and LATER in to_ben[1], to_ben
    await admin.close()


async def test_an_edited_english_text_warns_about_its_german_version(dash: Dashboard) -> None:
    """Written only in English, a German version added, then the English box edited: the
    German version is the outdated one; "English only" sends the English text to all."""
    say = SAY["de"]
    admin = await signed_in(dash)
    fields = {"text": "", "text_en": ENGLISH, "audience": "all"}
    _, first = await post_form(admin, "/broadcasts/preview", fields)
    both = {**form_of(first, "/broadcasts/edit"), "text": GERMAN}
    both.pop("nonce")
    _, second = await post_form(admin, "/broadcasts/preview", both)
    assert say["outdated_de"] not in second and say["send"] in second
    edited = {**form_of(second, "/broadcasts/edit"), "text_en": LATER_EN}
    edited.pop("nonce")
    _, third = await post_form(admin, "/broadcasts/preview", edited)
    assert say["outdated_de"] in third and say["send"] not in third
    assert f">{say['only_english']}</button>" in third
    status, only = await admin.post(
        "/broadcasts/versions", form_of(third, "/broadcasts/versions", "only")
    )
    assert status == 200 and say["outdated_de"] not in only
    assert (await admin.post("/broadcasts/send", form_of(only, "/broadcasts/send")))[0] == 303
    assert await stored(dash) == [("", LATER_EN)]
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_replace_keeps_the_file_of_the_broadcast(dash: Dashboard, lang: str) -> None:
    """ "Replace" goes back to the form with the previewed file still attached (it says so):
    the broadcast sent from there carries it; a file chosen at the form takes its place."""
    say = SAY[lang]
    admin = await signed_in(dash)
    pdf = ("anfahrt.pdf", b"%PDF-1.4 Anfahrt Oker", "application/pdf")
    preview = await german_edited(admin, lang, pdf)
    assert "anfahrt.pdf" in preview and say["outdated_en"] in preview
    status, form = await admin.post("/broadcasts/edit", form_of(preview, "/broadcasts/edit"))
    assert status == 200 and say["rewrite"] in form and "anfahrt.pdf" in form, form
    kept = re.search(r'name="kept_file" value="([^"]+)"', form)
    translation = re.search(r'name="translation" value="([^"]*)"', form)
    assert kept is not None and translation is not None
    fields = {"text": LATER, "text_en": LATER_EN, "audience": "all"}
    fields |= {"translation": translation.group(1), "kept_file": kept.group(1)}
    status, fresh = await post_form(admin, "/broadcasts/preview", fields)
    assert status == 200 and say["outdated_en"] not in fresh and "anfahrt.pdf" in fresh
    assert (await admin.post("/broadcasts/send", form_of(fresh, "/broadcasts/send")))[0] == 303
    sent = (await deliver(dash.bot)).sent()
    assert {a.chat_id for a in sent} == {"chat-anna", "chat-ben", "chat-cora"}
    assert all(a.attachment is not None and a.attachment.filename == "anfahrt.pdf" for a in sent)
    # taken once: a kept file posted again is no file; one chosen anew replaces a kept one
    again = await post_form(admin, "/broadcasts/preview", fields)
    assert again[0] == 200 and "anfahrt.pdf" not in again[1]
    preview = await german_edited(admin, lang, pdf)
    _, form = await admin.post("/broadcasts/edit", form_of(preview, "/broadcasts/edit"))
    kept = re.search(r'name="kept_file" value="([^"]+)"', form)
    assert kept is not None
    fields["kept_file"] = kept.group(1)
    _, other = await post_form(
        admin, "/broadcasts/preview", fields, ("karte.png", PNG, "image/png")
    )
    assert "karte.png" in other and "anfahrt.pdf" not in other
    await admin.close()
