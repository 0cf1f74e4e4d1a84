"""Event tables: events, sign-ups (capacity and waitlist), scheduled jobs, announcements, polls.

Capacity lives in `events.taken`, changed only by conditional UPDATEs (see storage/signups.py);
`UNIQUE(event_id, member_id)` keeps a member from holding two places.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, utcnow

# Sign-up states: a confirmed or offered sign-up holds a place (counts in `events.taken`).
CONFIRMED = "confirmed"
OFFERED = "offered"
WAITLISTED = "waitlisted"
HOLDS_PLACE = (CONFIRMED, OFFERED)


class Event(Base):
    """A symposium, forum, excursion or workshop; times in UTC."""

    __tablename__ = "events"
    __table_args__: Any = (
        # An occurrence of a series is created once per date (storage/series.py).
        Index("uq_events_series_occurrence", "series_id", "occurrence_date", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # What English-speaking members read instead, where the office gave it ("" when not).
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    # The place English-speaking members read ("" when the office gave none: the German one).
    place_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int | None] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    arrivals: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audience: Mapped[str] = mapped_column(String(120), default="all")
    offer_hours: Mapped[int | None] = mapped_column(Integer)
    reminder_hours: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # What the office gave as the reason when it cancelled the event ("" when none).
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # When the event was first announced (to groups or members); None while it never was.
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Not a foreign key: an admin who uses /forget must not take the event with them.
    created_by: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # An occurrence of a recurring meeting: its series (never deleted, only ended) and its
    # local date; None for a single event.
    series_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("event_series.id"))
    occurrence_date: Mapped[date | None] = mapped_column(Date)


async def _release_places(session: AsyncSession, member_id: int) -> None:
    """Before a member's sign-ups are erased (/forget), give their places back."""
    rows = await session.execute(
        select(EventSignup.event_id).where(
            EventSignup.member_id == member_id, EventSignup.status.in_(HOLDS_PLACE)
        )
    )
    for event_id in rows.scalars():
        await session.execute(
            update(Event).where(Event.id == event_id, Event.taken > 0).values(taken=Event.taken - 1)
        )


class EventSignup(Base):
    """One member on one event: confirmed, offered a freed place, or waiting in arrival order."""

    __tablename__ = "event_signups"
    __table_args__: Any = (
        UniqueConstraint("event_id", "member_id", name="uq_event_signups_event_member"),
        Index("ix_event_signups_queue", "event_id", "status", "position"),
        {"info": {"before_member_erase": _release_places}},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    # Arrival number on this event (events.arrivals at the moment of joining).
    position: Mapped[int] = mapped_column(Integer)
    offer_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Checked in at the event (the office's attendance); None: not (yet) seen there.
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EventJob(Base):
    """A scheduled action (announcement, reminder, offer expiry): the schedule lives here.

    `job_id` is stable (``reminder:event:42:1d``); a job claims its row from pending to done
    with a conditional UPDATE, so it runs once even if woken twice.
    """

    __tablename__ = "event_jobs"

    job_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    member_id: Mapped[int | None] = mapped_column(BigId)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EventAnnouncement(Base):
    """A group announcement in a chat or room, so its live count can be edited later."""

    __tablename__ = "event_announcements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(255))
    # The outbox row that sends it; its `message_ref` is the platform reference once sent.
    outbox_id: Mapped[int | None] = mapped_column(BigId)
    message_ref: Mapped[str | None] = mapped_column(String(255))


# Whom an event's poll goes to (`EventPoll.audience`).
POLL_EVERYONE = "everyone"
POLL_SIGNED_UP = "signed_up"


class EventPoll(Base):
    """An option poll on an event ("which date suits you?"), sent as `ev:<id>:<name>`."""

    __tablename__ = "event_polls"
    __table_args__ = (UniqueConstraint("event_id", "name", name="uq_event_polls_event_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(String(300))
    options: Mapped[list[str]] = mapped_column(JSON)
    # The English version members who read English get ("" / None: the German one).
    question_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    options_en: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    multiple: Mapped[bool] = mapped_column(default=False)
    # Whom it went to: everyone the event is for (`POLL_EVERYONE`), or only the members with
    # a confirmed place (`POLL_SIGNED_UP`: "Mittagessen gewünscht?"); /offen shows it to them.
    audience: Mapped[str] = mapped_column(
        String(20), default=POLL_EVERYONE, server_default=POLL_EVERYONE
    )


class EventPollVote(Base):
    """Each member's latest answer to a poll; an empty list withdraws the vote."""

    __tablename__ = "event_poll_votes"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("event_polls.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    options: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


from storage import series as _series  # noqa: E402, F401 - the table `series_id` refers to
