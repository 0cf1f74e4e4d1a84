"""/eventpoll: the office chooses in the preview whom the poll goes to, everyone the event is
for (dates) or only the members with a confirmed place ("Mittagessen gewünscht?")."""

from __future__ import annotations

from bot.messages import Platform, PollVote
from storage import event_store
from tests.harness import Harness
from tests.test_events import create, goslar, outbox

LUNCH = "Mittagessen gewünscht? | Ja | Nein"


async def lunch_event(bot: Harness) -> int:
    """Two places taken (anna, ben), one waiting (dora), one only reading the news (carl)."""
    number = await create(bot, goslar(bot, 2))
    for user in ("anna", "ben", "carl", "dora"):
        await bot.onboard(user)
    for user in ("anna", "ben", "dora"):
        await bot.send(user, f"/join {number}")
    return number


async def poll_receivers(bot: Harness) -> set[int]:
    return {message.member_id for message in await outbox(bot, "event_poll")}


async def member_ids(bot: Harness, *users: str) -> set[int]:
    found = {await bot.member(user) for user in users}
    return {member.id for member in found if member is not None}


async def test_a_poll_only_for_those_signed_up_reaches_the_confirmed_places(
    bot: Harness,
) -> None:
    number = await lunch_event(bot)
    shown = await bot.send("admin", f"/eventpoll {number} {LUNCH}")
    assert (
        "an Mitglieder: 4 – an alle, für die die Veranstaltung ist („An alle senden“)" in shown.text
    ), shown.text
    assert (
        "Oder nur an die Angemeldeten („Nur an Angemeldete senden“): privat an Mitglieder mit "
        "bestätigtem Platz: 2; nicht an die Warteliste" in shown.text
    ), shown.text
    typed = await bot.send("admin", "Mittagessen bitte vorher klären")
    assert "Bitte senden Sie die Umfrage mit den Schaltflächen oben" in typed.text, typed.text
    sent = await bot.press("admin", shown.button("Nur an Angemeldete"))
    assert "an Mitglieder: 2" in sent.text, sent.text
    assert await poll_receivers(bot) == await member_ids(bot, "anna", "ben")
    # /offen shows it to those it went to, not to the waiting list or the news readers
    assert "Mittagessen gewünscht?" in str((await bot.send("anna", "/offen")).replies)
    for user in ("carl", "dora"):
        assert "wartet nichts" in (await bot.send(user, "/offen")).text, user


async def test_the_first_button_still_sends_to_everyone_the_event_is_for_in_english(
    bot: Harness,
) -> None:
    number = await lunch_event(bot)
    await bot.send("admin", "/language en")
    shown = await bot.send("admin", f"/eventpoll {number} {LUNCH}")
    assert "to members: 4 – to everyone the event is for (“Send to everyone”)" in shown.text
    assert (
        "Or only to those signed up (“Send only to those signed up”): privately to members "
        "with a confirmed place: 2; not to the waiting list" in shown.text
    ), shown.text
    assert shown.button("Send") == shown.button("Send to everyone")
    await bot.press("admin", shown.button("Send to everyone"))
    assert await poll_receivers(bot) == await member_ids(bot, "anna", "ben", "carl", "dora")
    assert "Mittagessen gewünscht?" in str((await bot.send("carl", "/offen")).replies)


async def test_only_those_it_asks_are_counted_in_a_poll_for_those_signed_up(
    bot: Harness,
) -> None:
    """A poll for the confirmed places counts no vote of anyone else (the office's demo shows
    the copies it sends, numbered: its "1" had been counted)."""
    number = await lunch_event(bot)
    shown = await bot.send("admin", f"/eventpoll {number} {LUNCH}")
    await bot.press("admin", shown.button("Nur an Angemeldete"))
    key = f"ev:{number}:dates"
    counted = await bot.send("anna", vote=PollVote(key, (0,)))
    assert "Danke! Ihre Antwort" in counted.text, counted.text
    for user in ("admin", "dora"):
        refused = await bot.send(user, vote=PollVote(key, (1,)))
        assert "wurde nicht gezählt" in refused.text, refused.text
    await bot.send("carl", "/language en")
    english = await bot.send("carl", vote=PollVote(key, (1,)))
    assert "your answer was not counted" in english.text, english.text
    results = await bot.send("admin", f"/pollresults {number}")
    assert "Ja: 1" in results.text and "Nein: 0" in results.text, results.text


async def young_professionals_poll(bot: Harness) -> str:
    """A young professionals' excursion (lena and the office's copy reach it, otto is no
    young professional) with a poll sent to everyone the event is for; the poll's key."""
    number = await create(bot, goslar(bot, 10) + "; zielgruppe=yp")
    for user in ("lena", "otto"):
        await bot.onboard(user)
    await bot.send("lena", "/youngpro ja")
    shown = await bot.send("admin", f"/eventpoll {number} Anreise per Bus? | Ja | Nein")
    await bot.press("admin", shown.button("An alle senden"))
    assert await poll_receivers(bot) == await member_ids(bot, "lena")
    return f"ev:{number}:dates"


async def test_a_poll_on_a_young_professionals_event_counts_only_young_professionals(
    bot: Harness,
) -> None:
    """Otto never got the poll; a vote with its key (an old copy, a forwarded Telegram poll,
    the number typed on the console) changes nothing, and the results count only lena."""
    key = await young_professionals_poll(bot)
    number = key.split(":")[1]
    counted = await bot.send("lena", vote=PollVote(key, (0,)))
    assert "Danke! Ihre Antwort" in counted.text, counted.text
    for platform in (Platform.CONSOLE, Platform.TELEGRAM):
        refused = await bot.send("otto", vote=PollVote(key, (1,)), platform=platform)
        assert "Diese Umfrage ging nicht an Sie" in refused.text, refused.text
        assert "Anreise" not in refused.text and "Goslar" not in refused.text, refused.text
    # nor in the young professionals' group, where a refusal would be chatter
    in_group = await bot.send("otto", vote=PollVote(key, (1,)), private=False)
    assert not in_group.replies, in_group.text
    # nor does /offen list it for him, to answer there
    assert "Anreise" not in str((await bot.send("otto", "/offen")).replies)
    # a vote of his kept from before this was checked is not counted either
    otto = await bot.member("otto")
    assert otto is not None
    async with bot.db.session() as session:
        poll = await event_store.get_poll(session, event_id=int(number), name="dates")
        assert poll is not None
        await event_store.record_vote(session, poll_id=poll.id, member_id=otto.id, options=[1])
        await session.commit()
    results = await bot.send("admin", f"/pollresults {number}")
    assert "(abgestimmt: 1)" in results.text, results.text
    assert "Ja: 1" in results.text and "Nein: 0" in results.text, results.text
