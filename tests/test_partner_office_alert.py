"""A partner request handed to the office ("An die Geschäftsstelle": nobody in the chat fits)
reaches the admins in the chat, each in their language, as a question the bot could not
answer does; a request whose fitting members are not in the chat yet is alerted once, by the
alert naming whom to invite."""

from __future__ import annotations

from storage.partners import PartnerRequest
from tests.harness import make_harness
from tests.partners_fixtures import outbox
from tests.test_partner_unconnected_fits import MACHINE, bell_founders

# An invented need of a network of beekeepers: no member fits it.
WAX = "Wir suchen eine Firma, die Bienenwachs zu Kerzen verarbeitet"


async def test_a_request_handed_to_the_office_alerts_each_admin_in_their_language(
    sqlite_url: str,
) -> None:
    bot = await make_harness(sqlite_url, admins=["admin", "office-en"])
    try:
        await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
        await bot.onboard("office-en", lang="en", org="Office (fiktiv)")
        await bot.onboard("imker", org="Imkerei Harzrand (fiktiv)")
        preview = await bot.send("imker", f"/partnersuche {WAX}")
        sent = await bot.press("imker", preview.button("An die Geschäftsstelle"))
        assert "liegt jetzt bei der Clustergeschäftsstelle" in sent.text, sent.text
        alerts = await outbox(bot, "partner_office_alert")
        by_admin = {alert.member_id: str(alert.payload["text"]) for alert in alerts}
        admin, english = await bot.member("admin"), await bot.member("office-en")
        assert admin is not None and english is not None
        assert sorted(by_admin) == sorted([admin.id, english.id])
        async with bot.db.session() as session:
            (request,) = (await session.execute(PartnerRequest.__table__.select())).all()
        german, other = by_admin[admin.id], by_admin[english.id]
        assert f"Neue Partneranfrage #{request.id} von Imkerei Harzrand (fiktiv)" in german
        assert f"/weiterleiten {request.id} MITGLIED" in german and "Bienenwachs" in german
        assert f"Wer am ehesten passt: /weiterleiten {request.id};" in german
        assert f"New partner request #{request.id}" in other
        assert f"Who fits it best: /forward_request {request.id};" in other
    finally:
        await bot.app.stop()


async def test_a_request_with_fits_not_in_the_chat_is_alerted_once(sqlite_url: str) -> None:
    bot = await make_harness(sqlite_url)
    try:
        await bell_founders(bot)
        await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
        await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
        preview = await bot.send("kuester", MACHINE)
        await bot.press("kuester", preview.buttons[0])
        [alert] = await outbox(bot, "partner_office_alert")
        assert "Neue Partneranfrage" not in str(alert.payload["text"])
    finally:
        await bot.app.stop()
