"""Capacity is enforced by the database: concurrent joins on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.errors import UserError
from handlers.events import service
from handlers.events.form import Draft
from storage import members, signups
from storage.events import Event, EventSignup
from storage.models import Member
from tests.harness import Harness

START = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)


async def _event(bot: Harness, capacity: int) -> int:
    draft = Draft(kind="excursion", title="Race", start=START, capacity=capacity, announce="no")
    created = await service.create_event(bot.app.services, draft, created_by=None)
    return created.event.id


async def _members(bot: Harness, count: int) -> list[Member]:
    async with bot.db.session() as session:
        return [
            await members.create_member_with_account(
                session,
                platform="console",
                user_id=f"racer-{i}",
                chat_id=f"chat-{i}",
                display_name=f"Racer {i}",
                language="de",
            )
            for i in range(count)
        ]


async def _rows(bot: Harness, event_id: int) -> list[EventSignup]:
    async with bot.db.session() as session:
        result = await session.execute(
            select(EventSignup)
            .where(EventSignup.event_id == event_id)
            .order_by(EventSignup.position)
        )
        return list(result.scalars())


async def test_concurrent_joins_fill_exactly_the_capacity(bot_any: Harness) -> None:
    event_id = await _event(bot_any, capacity=10)
    racers = await _members(bot_any, 60)
    results = await asyncio.gather(
        *(service.join_event(bot_any.app.services, m, event_id) for m in racers)
    )
    outcomes = [r.outcome for _e, r in results]
    assert outcomes.count("confirmed") == 10 and outcomes.count("waitlisted") == 50
    rows = await _rows(bot_any, event_id)
    assert len(rows) == 60 and len({r.member_id for r in rows}) == 60
    confirmed = [r.position for r in rows if r.status == "confirmed"]
    waiting = [r.position for r in rows if r.status == "waitlisted"]
    assert max(confirmed) < min(waiting)  # the first ten to arrive got the places
    # each member was told their rank on the waitlist, and it is the arrival order
    told = sorted((r.position, r.rank) for _e, r in results if r.outcome == "waitlisted")
    assert [rank for _pos, rank in told] == list(range(1, 51))
    async with bot_any.db.session() as session:
        event = await session.get(Event, event_id)
    assert event is not None and event.taken == 10


async def test_one_member_pressing_join_many_times_gets_one_place(bot_any: Harness) -> None:
    event_id = await _event(bot_any, capacity=3)
    (racer,) = await _members(bot_any, 1)
    results = await asyncio.gather(
        *(service.join_event(bot_any.app.services, racer, event_id) for _ in range(20))
    )
    assert sorted(r.outcome for _e, r in results).count("confirmed") == 1
    assert len(await _rows(bot_any, event_id)) == 1


async def test_concurrent_leaves_promote_in_waitlist_order(bot_any: Harness) -> None:
    event_id = await _event(bot_any, capacity=5)
    racers = await _members(bot_any, 15)
    for racer in racers:  # one after the other: arrival order is the list order
        await service.join_event(bot_any.app.services, racer, event_id)
    await asyncio.gather(
        *(service.leave_event(bot_any.app.services, m, event_id) for m in racers[:5])
    )
    rows = await _rows(bot_any, event_id)
    confirmed = sorted(r.member_id for r in rows if r.status == "confirmed")
    assert confirmed == sorted(m.id for m in racers[5:10])
    async with bot_any.db.session() as session:
        taken = (await session.execute(select(Event.taken).where(Event.id == event_id))).scalar()
    assert taken == 5


async def test_forget_gives_the_place_back(bot_any: Harness) -> None:
    event_id = await _event(bot_any, capacity=1)
    first, second = await _members(bot_any, 2)
    await service.join_event(bot_any.app.services, first, event_id)
    await service.join_event(bot_any.app.services, second, event_id)
    from storage.privacy import erase_member

    async with bot_any.db.session() as session:
        await erase_member(session, member_id=first.id)
    from handlers.events.schedule import sweep

    await sweep(bot_any.app.services)
    rows = await _rows(bot_any, event_id)
    assert [(r.member_id, r.status) for r in rows] == [(second.id, "confirmed")]
    async with bot_any.db.session() as session:
        count = await session.execute(select(func.count()).select_from(EventSignup))
        assert count.scalar() == 1
        assert (await signups.counts(session, event_id=event_id)) == (1, 0)


async def test_rules_refuse_with_a_reason(bot_any: Harness) -> None:
    (racer,) = await _members(bot_any, 1)
    try:
        await service.join_event(bot_any.app.services, racer, 4242)
    except UserError as error:
        assert error.key == "events.unknown_event"
    else:
        raise AssertionError("joined an event that does not exist")


async def test_a_place_given_up_after_the_start_goes_to_nobody(bot_any: Harness) -> None:
    from tests.harness import fixed_clock

    event_id = await _event(bot_any, capacity=1)
    first, second = await _members(bot_any, 2)
    await service.join_event(bot_any.app.services, first, event_id)
    await service.join_event(bot_any.app.services, second, event_id)
    bot_any.app.services.clock = fixed_clock(START.replace(hour=9))
    _event_row, left = await service.leave_event(bot_any.app.services, first, event_id)
    assert left.left == "confirmed" and left.promoted == ()
    assert [r.status for r in await _rows(bot_any, event_id)] == ["waitlisted"]
