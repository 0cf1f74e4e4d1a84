"""Partner requests and the introductions they lead to: tables and queries.

A request belongs to the member who wrote it; each member it is sent to gets one introduction
row that walks through the double opt-in (sent -> interested -> introduced). Both point at
`members.id`, so `/mydata` exports them and `/forget` erases them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Account, Base, BigId, Member, utcnow

# Request states. A draft waits for the member's confirmation; `open` was sent to members;
# `office` found nobody and waits in the cluster office's inbox.
DRAFT, OPEN, OFFICE = "draft", "open", "office"
CLOSED, EXPIRED, CANCELLED = "closed", "expired", "cancelled"
ACTIVE = (OPEN, OFFICE)

# Introduction states: the recipient answers, then the requester confirms.
SENT, DECLINED, INTERESTED = "sent", "declined", "interested"
INTRODUCED, REJECTED, WITHDRAWN = "introduced", "rejected", "withdrawn"
PENDING = (SENT, INTERESTED)


class PartnerRequest(Base):
    """A member's "we are looking for a partner who ..." and where it stands."""

    __tablename__ = "partner_requests"
    __table_args__ = (
        Index("ix_partner_requests_status", "status", "expires_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="de")
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The FAQ question (its logged number) the member turned into this request through the
    # offer beside its hand-off to the office: told on once the request is sent, so that the
    # question stops waiting for the office (migration 0021).
    handoff_question: Mapped[int | None] = mapped_column(BigId)


class PartnerIntroduction(Base):
    """One request delivered to one member, through the double opt-in."""

    __tablename__ = "partner_introductions"
    __table_args__ = (
        UniqueConstraint("request_id", "recipient_id", name="uq_partner_intro_recipient"),
        Index("ix_partner_intro_recipient_sent", "recipient_id", "sent_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("partner_requests.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default=SENT)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # Forwarded by an admin by hand rather than chosen by the ranking.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    # The needs of a request with several that this member was asked for (one a line);
    # empty when the whole request fits them.
    asked_for: Mapped[str] = mapped_column(Text, default="", server_default="")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    introduced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PartnerWaitingFit(Base):
    """A member who fitted a request sent to the office but had no reachable chat account
    (imported, not yet joined by invitation): never sent it; the office invites them, then
    forwards it (migration 0035). A row of the member's, not the requester's: their /mydata
    lists it, the requester's does not say who fitted; it goes with either."""

    __tablename__ = "partner_waiting_fits"

    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("partner_requests.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int] = mapped_column(Integer, default=0)  # 0: the best fit


def aware(moment: datetime, like: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC like everything stored."""
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)


# -- requests -------------------------------------------------------------------------------


async def create_request(
    session: AsyncSession,
    *,
    requester_id: int,
    text: str,
    lang: str,
    now: datetime,
    ttl: timedelta,
    handoff_question: int | None = None,
) -> PartnerRequest:
    request = PartnerRequest(
        requester_id=requester_id,
        text=text,
        lang=lang,
        status=DRAFT,
        created_at=now,
        expires_at=now + ttl,
        handoff_question=handoff_question,
    )
    session.add(request)
    await session.flush()
    return request


async def get_request(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> PartnerRequest | None:
    query = select(PartnerRequest).where(PartnerRequest.id == request_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


def is_expired(request: PartnerRequest, now: datetime) -> bool:
    return request.status in (DRAFT, *ACTIVE) and aware(request.expires_at, now) <= now


async def expire_if_due(session: AsyncSession, request: PartnerRequest, now: datetime) -> None:
    """The read-time half of expiry: a request past its date is expired before anyone acts."""
    if is_expired(request, now):
        await _finish(session, request, EXPIRED if request.status != DRAFT else CANCELLED, now)


async def _finish(
    session: AsyncSession, request: PartnerRequest, status: str, now: datetime
) -> None:
    request.status = status
    request.closed_at = now
    await session.execute(
        update(PartnerIntroduction)
        .where(
            PartnerIntroduction.request_id == request.id,
            PartnerIntroduction.state == SENT,
        )
        .values(state=WITHDRAWN)
    )
    await session.flush()


async def close_request(
    session: AsyncSession, request: PartnerRequest, *, status: str, now: datetime
) -> None:
    """Close (or cancel) a request; answers still pending on it are withdrawn."""
    await _finish(session, request, status, now)


async def sweep_expired(session: AsyncSession, *, now: datetime) -> int:
    """Expire every request past its date (the periodic half of expiry); returns how many."""
    due = (
        (
            await session.execute(
                select(PartnerRequest).where(
                    PartnerRequest.status.in_((DRAFT, *ACTIVE)),
                    PartnerRequest.expires_at <= now,
                )
            )
        )
        .scalars()
        .all()
    )
    for request in due:
        await expire_if_due(session, request, now)
    return len(due)


async def requests_of(session: AsyncSession, *, member_id: int) -> Sequence[PartnerRequest]:
    result = await session.execute(
        select(PartnerRequest)
        .where(PartnerRequest.requester_id == member_id, PartnerRequest.sent_at.is_not(None))
        .order_by(PartnerRequest.id.desc())
    )
    return result.scalars().all()


async def drafts_of(session: AsyncSession, *, member_id: int) -> Sequence[PartnerRequest]:
    """The member's requests not sent (a preview waiting for *send*), the newest first."""
    result = await session.execute(
        select(PartnerRequest)
        .where(PartnerRequest.requester_id == member_id, PartnerRequest.status == DRAFT)
        .order_by(PartnerRequest.id.desc())
    )
    return result.scalars().all()


async def active_requests(session: AsyncSession) -> Sequence[PartnerRequest]:
    """Requests the office should see: sent to members or waiting in its inbox."""
    result = await session.execute(
        select(PartnerRequest).where(PartnerRequest.status.in_(ACTIVE)).order_by(PartnerRequest.id)
    )
    return result.scalars().all()


# -- introductions --------------------------------------------------------------------------


async def add_introduction(
    session: AsyncSession,
    *,
    request_id: int,
    recipient_id: int,
    score: float,
    now: datetime,
    manual: bool = False,
    asked_for: str = "",
) -> PartnerIntroduction:
    intro = PartnerIntroduction(
        request_id=request_id,
        recipient_id=recipient_id,
        score=score,
        manual=manual,
        asked_for=asked_for,
        state=SENT,
        sent_at=now,
    )
    session.add(intro)
    await session.flush()
    return intro


async def get_introduction(
    session: AsyncSession, intro_id: int, *, for_update: bool = False
) -> PartnerIntroduction | None:
    query = select(PartnerIntroduction).where(PartnerIntroduction.id == intro_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def add_waiting_fits(
    session: AsyncSession, *, request_id: int, member_ids: Sequence[int]
) -> None:
    """Remember the members who fit a request but could not be reached, best first."""
    for rank, member_id in enumerate(dict.fromkeys(member_ids)):
        session.add(PartnerWaitingFit(request_id=request_id, member_id=member_id, rank=rank))
    await session.flush()


async def waiting_fits(
    session: AsyncSession, *, request_ids: Sequence[int]
) -> dict[int, list[Member]]:
    """Per request, the members remembered by `add_waiting_fits` (still in the directory:
    one erased since is gone with their row), best first; [] for a request without any."""
    found: dict[int, list[Member]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    result = await session.execute(
        select(PartnerWaitingFit.request_id, Member)
        .join(Member, Member.id == PartnerWaitingFit.member_id)
        .where(PartnerWaitingFit.request_id.in_(request_ids))
        .order_by(PartnerWaitingFit.request_id, PartnerWaitingFit.rank)
    )
    for request_id, member in result.all():
        found[request_id].append(member)
    return found


async def requests_waiting_for(session: AsyncSession, *, member_id: int) -> list[PartnerRequest]:
    """The requests that remembered the member as fitting while they had no reachable chat
    account (`add_waiting_fits`), oldest first; of any status."""
    result = await session.execute(
        select(PartnerRequest)
        .join(PartnerWaitingFit, PartnerWaitingFit.request_id == PartnerRequest.id)
        .where(PartnerWaitingFit.member_id == member_id)
        .order_by(PartnerRequest.id)
    )
    return list(result.scalars())


async def introductions_for(
    session: AsyncSession, *, request_ids: Sequence[int]
) -> dict[int, list[PartnerIntroduction]]:
    if not request_ids:
        return {}
    result = await session.execute(
        select(PartnerIntroduction)
        .where(PartnerIntroduction.request_id.in_(request_ids))
        .order_by(PartnerIntroduction.id)
    )
    found: dict[int, list[PartnerIntroduction]] = {rid: [] for rid in request_ids}
    for intro in result.scalars():
        found[intro.request_id].append(intro)
    return found


async def answers_awaited(
    session: AsyncSession, *, recipient_id: int, now: datetime
) -> list[tuple[PartnerIntroduction, PartnerRequest, Member]]:
    """Requests sent to this member, still open, that wait for their "interested" or not
    (with the requester); the one running out first at the top."""
    result = await session.execute(
        select(PartnerIntroduction, PartnerRequest, Member)
        .join(PartnerRequest, PartnerRequest.id == PartnerIntroduction.request_id)
        .join(Member, Member.id == PartnerRequest.requester_id)
        .where(
            PartnerIntroduction.recipient_id == recipient_id,
            PartnerIntroduction.state == SENT,
            PartnerRequest.status.in_(ACTIVE),
            PartnerRequest.expires_at > now,
        )
        .order_by(PartnerRequest.expires_at, PartnerIntroduction.id)
    )
    return [(intro, request, member) for intro, request, member in result.all()]


async def confirmations_awaited(
    session: AsyncSession, *, requester_id: int, now: datetime
) -> list[tuple[PartnerIntroduction, PartnerRequest, Member]]:
    """Members interested in this member's open requests, waiting for the requester's yes
    (with the interested member); the request running out first at the top."""
    result = await session.execute(
        select(PartnerIntroduction, PartnerRequest, Member)
        .join(PartnerRequest, PartnerRequest.id == PartnerIntroduction.request_id)
        .join(Member, Member.id == PartnerIntroduction.recipient_id)
        .where(
            PartnerRequest.requester_id == requester_id,
            PartnerIntroduction.state == INTERESTED,
            PartnerRequest.status.in_(ACTIVE),
            PartnerRequest.expires_at > now,
        )
        .order_by(PartnerRequest.expires_at, PartnerIntroduction.id)
    )
    return [(intro, request, member) for intro, request, member in result.all()]


async def recent_counts(session: AsyncSession, *, since: datetime) -> dict[int, int]:
    """Requests each member received since `since` (the fairness cap counts these)."""
    result = await session.execute(
        select(PartnerIntroduction.recipient_id, func.count())
        .where(PartnerIntroduction.sent_at >= since)
        .group_by(PartnerIntroduction.recipient_id)
    )
    return {int(member_id): int(count) for member_id, count in result.all()}


# -- members as candidates ------------------------------------------------------------------


async def members_fingerprint(session: AsyncSession) -> tuple[object, ...]:
    """Changes whenever a member is added, removed or edited: the ranking index key."""
    row = (
        await session.execute(
            select(func.count(Member.id), func.sum(Member.id), func.max(Member.updated_at))
        )
    ).one()
    return (int(row[0] or 0), int(row[1] or 0), str(row[2]))


async def reachability_fingerprint(session: AsyncSession) -> tuple[int, int, int]:
    """Changes when an account is linked, moved, blocked or reachable again."""
    row = (
        await session.execute(
            select(func.count(Account.id), func.sum(Account.id), func.sum(Account.member_id)).where(
                Account.unreachable.is_(False)
            )
        )
    ).one()
    return (int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


@dataclass(frozen=True)
class Profile:
    """What partner ranking reads of a member; `reachable`: one of their accounts is."""

    member_id: int
    organisation: str
    kind: str
    city: str
    role: str
    languages: list[str] | None
    young_professional: bool
    topics: list[str] | None
    bio: str
    partner_consent: bool
    reachable: bool


async def all_profiles(session: AsyncSession) -> list[Profile]:
    """Every member as ranking reads them, by id: these columns only. Whole members with
    their accounts, 10,000 of them, left the bot 36 MB bigger after the ranking was built."""
    reachable = (
        select(Account.id)
        .where(Account.member_id == Member.id, Account.unreachable.is_(False))
        .exists()
    )
    result = await session.execute(
        select(
            Member.id,
            Member.organisation,
            Member.kind,
            Member.city,
            Member.role,
            Member.languages,
            Member.young_professional,
            Member.topics,
            Member.bio,
            Member.partner_consent,
            reachable,
        ).order_by(Member.id)
    )
    return [Profile(*row) for row in result]


# -- statistics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerStats:
    requests: int
    to_office: int
    recipients_contacted: int
    accepted_by_recipients: int
    introductions: int


async def stats(session: AsyncSession, *, since: datetime | None = None) -> PartnerStats:
    """Counts for /stats: confirmed requests (and how many went to the office), members
    contacted, members who answered "interested", and completed double opt-in introductions."""
    requests_query = select(func.count()).select_from(PartnerRequest)
    requests_query = requests_query.where(PartnerRequest.sent_at.is_not(None))
    no_intro = ~(
        select(PartnerIntroduction.id)
        .where(PartnerIntroduction.request_id == PartnerRequest.id)
        .exists()
    )
    intro_query = select(PartnerIntroduction.state, func.count()).group_by(
        PartnerIntroduction.state
    )
    if since is not None:
        requests_query = requests_query.where(PartnerRequest.sent_at >= since)
        intro_query = intro_query.where(PartnerIntroduction.sent_at >= since)
    requests = int((await session.execute(requests_query)).scalar_one())
    to_office = int((await session.execute(requests_query.where(no_intro))).scalar_one())
    by_state = {state: int(n) for state, n in (await session.execute(intro_query)).all()}
    introduced = by_state.get(INTRODUCED, 0)
    accepted = by_state.get(INTERESTED, 0) + introduced + by_state.get(REJECTED, 0)
    return PartnerStats(requests, to_office, sum(by_state.values()), accepted, introduced)


async def discard_introduction(session: AsyncSession, intro: PartnerIntroduction) -> None:
    """Drop an introduction that could not be delivered (the recipient is unreachable)."""
    await session.delete(intro)
    await session.flush()


async def introductions_received(
    session: AsyncSession, *, recipient_id: int, limit: int = 50
) -> list[tuple[PartnerIntroduction, PartnerRequest]]:
    """Requests that were sent to this member, with how they answered; newest first."""
    result = await session.execute(
        select(PartnerIntroduction, PartnerRequest)
        .join(PartnerRequest, PartnerRequest.id == PartnerIntroduction.request_id)
        .where(PartnerIntroduction.recipient_id == recipient_id)
        .order_by(PartnerIntroduction.id.desc())
        .limit(limit)
    )
    return [(intro, request) for intro, request in result.all()]


# -- answers as evidence --------------------------------------------------------------------

# The recipient's answer: "Nicht für mich", or "Interessiert" (whatever the requester did next).
ANSWERED = (DECLINED, INTERESTED, INTRODUCED, REJECTED)


async def answers_fingerprint(session: AsyncSession) -> tuple[int, int]:
    """Changes whenever a recipient answers (or an answered introduction is erased)."""
    row = (
        await session.execute(
            select(func.count(PartnerIntroduction.id), func.max(PartnerIntroduction.id)).where(
                PartnerIntroduction.state.in_(ANSWERED)
            )
        )
    ).one()
    return (int(row[0] or 0), int(row[1] or 0))


async def answers_given(session: AsyncSession, *, limit: int = 2000) -> list[tuple[int, bool, str]]:
    """The last `limit` answers as (recipient id, interested, request text), oldest first."""
    result = await session.execute(
        select(PartnerIntroduction.recipient_id, PartnerIntroduction.state, PartnerRequest.text)
        .join(PartnerRequest, PartnerRequest.id == PartnerIntroduction.request_id)
        .where(PartnerIntroduction.state.in_(ANSWERED))
        .order_by(PartnerIntroduction.id.desc())
        .limit(limit)
    )
    rows = [(int(member), state != DECLINED, str(text)) for member, state, text in result.all()]
    rows.reverse()
    return rows
