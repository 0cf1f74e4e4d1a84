"""The dashboard's event edit says what saving did: an event never announced and announced
on saving says to how many members it went (not "nobody was told"); the announcement choice of
an edit reads right for an event never announced; a capacity typed with its word ("30 Plätze",
"25 places") is taken as the chat takes it, and a wrong one says to leave the box empty for no
limit. German and English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from handlers.events import service
from handlers.events.form import draft_from_form
from storage.events import Event
from tests.dates import days_ahead, typed
from tests.test_web_events import admin_in, excursion, local_box, outbox, rows
from tests.web_harness import Dashboard, SignedIn, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def _form_of(dash: Dashboard, number: int, **changed: str) -> dict[str, str]:
    (event,) = [e for e in await rows(dash, Event) if e.id == number]
    tz = dash.bot.app.services.settings.network.tz
    return {
        "kind": event.kind,
        "title": event.title,
        "start": local_box(event.starts_at.astimezone(tz)),
        "place": event.place,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "audience": "all",
        **changed,
    }


async def _saved(admin: SignedIn, number: int, form: dict[str, str]) -> str:
    """Preview, then *Save* with what the preview carried; the page saving leads to."""
    status, html = await admin.post(f"/events/{number}/edit", {**form, "action": "preview"})
    assert status == 200, html
    carried = dict(re.findall(r'name="(f\.[a-z_]+)" value="([^"]*)"', html))
    async with admin.client.post(
        admin.dashboard.url + f"/events/{number}/edit",
        data={"csrf": admin.csrf, **carried, "action": "save"},
        allow_redirects=False,
    ) as response:
        assert response.status == 303, await response.text()
        location = response.headers["Location"]
    status, html = await admin.get(location)
    assert status == 200
    return html


ANNOUNCED = {
    "de": r"Geändert und an (\d+) Mitglieder angekündigt\.",
    "en": r"Changed and announced to (\d+) members\.",
}
QUIET = {"de": "benachrichtigt wurde niemand", "en": "nobody was told"}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_announcing_an_edited_event_says_to_how_many_it_went(
    dash: Dashboard, lang: str
) -> None:
    for user in ("mia", "paul"):
        await dash.bot.onboard(user)
    number = await excursion(dash, places=5)  # stored with "ankündigung=nein"
    assert await outbox(dash, "event_announcement") == []
    admin = await admin_in(dash, lang)
    html = await _saved(admin, number, await _form_of(dash, number, announce="now"))
    announced = await outbox(dash, "event_announcement")
    said = re.search(ANNOUNCED[lang], html)
    assert announced and said is not None, html
    assert int(said.group(1)) == len(announced)
    assert QUIET[lang] not in html
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_quiet_edit_still_says_nobody_was_told(dash: Dashboard, lang: str) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=5)
    admin = await admin_in(dash, lang)
    html = await _saved(admin, number, await _form_of(dash, number, place="Clausthal"))
    assert QUIET[lang] in html and re.search(ANNOUNCED[lang], html) is None
    assert await outbox(dash, "event_announcement") == []
    await admin.close()


PLANNED_SAID = {
    "de": "Geändert; die Ankündigung ist geplant, benachrichtigt wurde noch niemand.",
    "en": "Changed; the announcement is planned, nobody has been told yet.",
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_planning_an_announcement_on_saving_says_it_is_planned(
    dash: Dashboard, lang: str
) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=5)
    admin = await admin_in(dash, lang)
    when = local_box(days_ahead(dash.bot, 10))
    form = await _form_of(dash, number, announce="at", announce_at=when)
    html = await _saved(admin, number, form)
    assert PLANNED_SAID[lang] in html and QUIET[lang] not in html, html
    assert await outbox(dash, "event_announcement") == []
    await admin.close()


KEEP = {
    "de": ("noch nicht ankündigen", "nicht erneut ankündigen"),
    "en": ("do not announce yet", "do not announce again"),
}
NOT_ANNOUNCED = {"de": "nicht angekündigt", "en": "not announced"}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_event_never_announced_reads_so_on_the_form_and_the_list(
    dash: Dashboard, lang: str
) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash)  # stored with "ankündigung=nein"
    admin = await admin_in(dash, lang)
    never, again = KEEP[lang]
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200 and never in html and again not in html, html
    status, html = await admin.get("/events")
    row = html[html.index(f'href="/events/{number}"') :]
    assert NOT_ANNOUNCED[lang] in row[: row.index("</tr>")], html
    # announced on saving: from then on the form offers not to announce *again*
    await _saved(admin, number, await _form_of(dash, number, announce="now"))
    status, html = await admin.get(f"/events/{number}/edit")
    assert again in html and never not in html, html
    status, html = await admin.get("/events")
    row = html[html.index(f'href="/events/{number}"') :]
    assert NOT_ANNOUNCED[lang] not in row[: row.index("</tr>")], html
    await admin.close()


PLANNED = {"de": "Ankündigung wie geplant", "en": "announcement as planned"}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_event_with_a_planned_announcement_keeps_it_as_planned(
    dash: Dashboard, lang: str
) -> None:
    start, announce = days_ahead(dash.bot, 60), days_ahead(dash.bot, 10)
    form = (
        f"art=exkursion; titel=Exkursion nach Goslar; beginn={typed(start)}; "
        f"ankündigung={typed(announce)}"
    )
    draft = draft_from_form(form, tz=dash.bot.app.services.settings.network.tz)
    created = await service.create_event(dash.bot.app.services, draft, created_by=None)
    admin = await admin_in(dash, lang)
    status, html = await admin.get(f"/events/{created.event.id}/edit")
    assert status == 200 and PLANNED[lang] in html and KEEP[lang][1] not in html, html
    await admin.close()


@pytest.mark.parametrize(
    ("lang", "typed", "places"),
    [("de", "30 Plätze", 30), ("de", "dreißig Plätze", 30), ("en", "25 places", 25)],
)
async def test_a_capacity_typed_with_its_word_is_taken(
    dash: Dashboard, lang: str, typed: str, places: int
) -> None:
    number = await excursion(dash, places=5)
    admin = await admin_in(dash, lang)
    form = await _form_of(dash, number, capacity=typed)
    status, html = await admin.post(f"/events/{number}/edit", {**form, "action": "preview"})
    assert status == 200, html
    await _saved(admin, number, form)
    (event,) = await rows(dash, Event)
    assert event.capacity == places
    await admin.close()


EMPTY_FOR_NO_LIMIT = {
    "de": "oder das Feld leer lassen für unbegrenzt",
    "en": "or leave the box empty for no limit",
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_wrong_capacity_says_to_leave_the_box_empty_for_no_limit(
    dash: Dashboard, lang: str
) -> None:
    number = await excursion(dash, places=5)
    admin = await admin_in(dash, lang)
    form = await _form_of(dash, number, capacity="viele Plätze")
    status, html = await admin.post(f"/events/{number}/edit", {**form, "action": "preview"})
    assert status == 422 and EMPTY_FOR_NO_LIMIT[lang] in html, html
    assert "ohne Zahl" not in html and "leave it out" not in html
    await admin.close()


def announce_choices(html: str) -> list[tuple[str, str]]:
    """The edit form's announcement choices: (value, label) in their order."""
    select = html[html.index('<select id="announce"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


# What each choice does, as the edit form names it: never announced, announced, and
# announced with another announcement planned.
CHOICES = {
    "de": {
        "never": [
            ("", "noch nicht ankündigen"),
            ("now", "Jetzt ankündigen"),
            ("at", "zu einem Zeitpunkt"),
        ],
        "announced": [
            ("", "nicht erneut ankündigen"),
            ("now", "jetzt erneut ankündigen"),
            ("at", "später erneut ankündigen"),
        ],
        "planned": [
            ("", "Ankündigung wie geplant"),
            ("now", "jetzt erneut ankündigen"),
            ("no", "Ankündigung absagen"),
            ("at", "zu einem anderen Zeitpunkt"),
        ],
    },
    "en": {
        "never": [
            ("", "do not announce yet"),
            ("now", "Announce now"),
            ("at", "at a chosen time"),
        ],
        "announced": [
            ("", "do not announce again"),
            ("now", "announce again now"),
            ("at", "announce again later"),
        ],
        "planned": [
            ("", "announcement as planned"),
            ("now", "announce again now"),
            ("no", "call off the announcement"),
            ("at", "at another time"),
        ],
    },
}
# The box for the time names the choice it belongs to.
AT_BOX = {
    "de": "Ankündigen am (nur bei „{choice}“)",
    "en": "Announce at (only with “{choice}”)",
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_edit_form_offers_one_way_not_to_announce_named_for_the_event(
    dash: Dashboard, lang: str
) -> None:
    """The walkthrough's announced event offered "nicht erneut ankündigen" and "Nicht
    ankündigen", both doing nothing: each choice now says what it does for this event, and
    only a planned announcement has one to call it off."""
    await dash.bot.onboard("mia")
    number = await excursion(dash)
    admin = await admin_in(dash, lang)
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200 and announce_choices(html) == CHOICES[lang]["never"], html
    at = dict(CHOICES[lang]["never"])["at"]
    assert AT_BOX[lang].format(choice=at) in html
    await _saved(admin, number, await _form_of(dash, number, announce="now"))
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200 and announce_choices(html) == CHOICES[lang]["announced"], html
    again = dict(CHOICES[lang]["announced"])["at"]
    assert AT_BOX[lang].format(choice=again) in html
    # announced again later: that plan is kept, or called off
    when = local_box(days_ahead(dash.bot, 10))
    await _saved(admin, number, await _form_of(dash, number, announce="at", announce_at=when))
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200 and announce_choices(html) == CHOICES[lang]["planned"], html
    await admin.close()
