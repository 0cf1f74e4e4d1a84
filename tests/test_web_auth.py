"""Only signed-in admins reach the dashboard: every route, walked from the router, refuses a
visitor without a session, a member's session, a used link and a change without CSRF token,
and nothing changes in the database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from storage import web_sessions
from tests.snapshot import row_counts
from tests.web_harness import Dashboard, dashboard_for
from web.auth import is_public


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


HOUR = timedelta(hours=1)


def routes(dashboard: Dashboard) -> list[tuple[str, str]]:
    """(method, path) of every route, placeholders filled: new pages are covered by themselves."""
    found = []
    for route in dashboard.server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix", "")
        if not path or is_public(path) or route.method == "HEAD":
            continue
        found.append((route.method, re.sub(r"\{[^}]+\}", "1", path)))
    return sorted(set(found))


async def test_a_link_signs_in_once_and_the_page_shows_the_network(dash: Dashboard) -> None:
    link = await dash.link()
    async with aiohttp.ClientSession() as client, client.get(link) as preview:
        # A chat app's link preview (a GET) changes nothing.
        assert preview.status == 200 and "Jetzt anmelden" in await preview.text()
    admin = await dash.signed_in()
    status, html = await admin.get("/")
    assert status == 200 and "Was jetzt Aufmerksamkeit braucht" in html
    cookie = next(c for c in admin.client.cookie_jar if c.key == "rewimet_session")
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    async with aiohttp.ClientSession() as client, client.get(dash.url + "/") as response:
        csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    await admin.close()


async def test_every_route_refuses_all_but_a_signed_in_admin(dash: Dashboard) -> None:
    walked = routes(dash)
    assert ("GET", "/") in walked and ("POST", "/logout") in walked
    used = await dash.link()
    admin = await dash.signed_in()
    async with aiohttp.ClientSession() as client, client.post(used, allow_redirects=False) as first:
        assert first.status == 303
    # A member, not an admin, holding a link (as if made while she was one): refused.
    await dash.bot.onboard("mia")
    mia = await dash.bot.member("mia")
    assert mia is not None
    async with dash.bot.db.session() as session:
        await web_sessions.add_link(
            session, token="mia-token", member_id=mia.id, expires_at=datetime.now(UTC) + HOUR
        )
    member_link = f"{dash.url}/login/mia-token"
    before = await row_counts(dash.bot.db)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as stranger:
        async with stranger.post(used, allow_redirects=False) as again:
            assert again.status == 403 and "schon benutzt" in await again.text()
        async with stranger.post(member_link, allow_redirects=False) as refused:
            assert refused.status == 403
        for method, path in walked:
            async with stranger.request(method, dash.url + path, allow_redirects=False) as r:
                assert r.status in (303, 401, 403), (method, path, r.status)
    for method, path in walked:
        if method == "GET":
            continue
        async with admin.client.request(
            method, dash.url + path, data={"x": "1"}, allow_redirects=False
        ) as r:
            assert r.status == 403, (method, path, r.status)  # no CSRF token
        # a token with "ä" in it had made the comparison raise: a 500, not a refusal
        async with admin.client.request(
            method, dash.url + path, data={"csrf": "ä" + admin.csrf}, allow_redirects=False
        ) as r:
            assert r.status == 403, (method, path, r.status)
    assert await row_counts(dash.bot.db) == before
    await admin.close()


async def test_a_demoted_admin_is_signed_out_at_once(dash: Dashboard) -> None:
    await dash.bot.onboard("ada")
    member = await dash.bot.member("ada")
    assert member is not None
    assert "Admin" in (await dash.bot.send("admin", f"/promote {member.id}")).text
    ada = await dash.signed_in("ada")
    assert (await ada.get("/"))[0] == 200
    await dash.bot.send("admin", f"/demote {member.id}")
    assert (await ada.get("/"))[0] == 303
    await ada.close()


@pytest.mark.parametrize(
    ("lang", "browser", "sign_in", "refused"),
    [
        ("en", "de-DE,de;q=0.9", "Sign in now", "This sign-in link is not valid"),
        ("de", "en-GB,en;q=0.8", "Jetzt anmelden", "Dieser Anmeldelink gilt nicht"),
    ],
)
async def test_the_sign_in_page_speaks_the_language_of_the_member_the_link_is_for(
    dash: Dashboard, lang: str, browser: str, sign_in: str, refused: str
) -> None:
    await dash.bot.onboard("admin", lang=lang)
    link = await dash.link()
    # The member's language, whatever the browser prefers.
    headers = {"Accept-Language": browser}
    async with aiohttp.ClientSession(headers=headers) as client, client.get(link) as page:
        html = await page.text()
        assert page.status == 200 and sign_in in html and f'lang="{lang}"' in html
    # A link nobody knows (or used up): the browser's language.
    other = {"en": "de", "de": "en"}[lang]
    unknown = dash.url + "/login/no-such-token"
    async with aiohttp.ClientSession(headers=headers) as client, client.get(unknown) as page:
        assert f'lang="{other}"' in await page.text()
    headers = {"Accept-Language": {"en": "en-US,en;q=0.9", "de": "de,en;q=0.5"}[lang]}
    async with (
        aiohttp.ClientSession(headers=headers) as client,
        client.post(unknown, allow_redirects=False) as page,
    ):
        html = await page.text()
        assert page.status == 403 and refused in html and f'lang="{lang}"' in html


@pytest.mark.parametrize(
    ("lang", "browser", "used", "sign_in"),
    [
        ("de", "en-GB,en;q=0.8", "Dieser Anmeldelink wurde schon benutzt", "Jetzt anmelden"),
        ("en", "de-DE,de;q=0.9", "This sign-in link has been used already", "Sign in now"),
    ],
)
async def test_a_used_link_says_so_in_the_admins_language(
    dash: Dashboard, lang: str, browser: str, used: str, sign_in: str
) -> None:
    await dash.bot.onboard("admin", lang=lang)
    link = await dash.link()
    async with aiohttp.ClientSession() as client, client.post(link, allow_redirects=False) as r:
        assert r.status == 303  # signed in: the link is used up
    headers = {"Accept-Language": browser}
    async with aiohttp.ClientSession(headers=headers) as client:
        async with client.get(link) as page:
            html = await page.text()
        # no button that only leads to a refusal; the way to a new link
        assert used in html and sign_in not in html and f'lang="{lang}"' in html, html
        assert "/dashboard" in html
        async with client.post(link, allow_redirects=False) as page:
            html = await page.text()
        assert page.status == 403 and used in html and f'lang="{lang}"' in html, html
