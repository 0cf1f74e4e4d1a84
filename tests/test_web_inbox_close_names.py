"""On the dashboard's "answer with an entry", a mistyped entry is refused with the questions
of the entries meant, not their internal ids, and without a chat command like /fragen."""

from __future__ import annotations

import html
import re

from tests.test_office_learn import DOG_DE, ask_office
from tests.test_web_inbox import dash, htmx_post, office  # noqa: F401  (fixtures)
from tests.web_harness import Dashboard, SignedIn


async def test_a_mistyped_entry_is_answered_with_the_questions_meant(
    dash: Dashboard,  # noqa: F811
    office: SignedIn,  # noqa: F811
) -> None:
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    _status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "symposion"})
    said = html.unescape(re.sub(r"<[^>]+>", " ", row))
    assert "Es gibt keinen Eintrag „symposion“" in said, said
    assert "Meinten Sie „Worum geht es beim jährlichen Symposium?“" in said, said
    assert "/fragen" not in said and "Meinten Sie: symposium" not in said, said
