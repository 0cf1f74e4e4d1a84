"""Whether anything at all waits for a member: one cheap statement for every /help and /start,
before the exact list (handlers/events/pending.py) is read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from storage.events import OFFERED, Event, EventPoll, EventPollVote, EventSignup
from storage.partners import ACTIVE, INTERESTED, SENT, PartnerIntroduction, PartnerRequest
from storage.signups import OPEN


def anything_waiting(session: Session, *, member_id: int, now: datetime) -> bool:
    """An offered place, a partner request to answer or to confirm, or an open poll the member
    has not voted in (the poll's audience is checked by the exact list)."""
    open_request = and_(PartnerRequest.status.in_(ACTIVE), PartnerRequest.expires_at > now)
    offer = exists().where(
        EventSignup.member_id == member_id,
        EventSignup.status == OFFERED,
        EventSignup.offer_expires_at > now,
    )
    to_answer = exists().where(
        PartnerIntroduction.recipient_id == member_id,
        PartnerIntroduction.state == SENT,
        PartnerRequest.id == PartnerIntroduction.request_id,
        open_request,
    )
    to_confirm = exists().where(
        PartnerRequest.requester_id == member_id,
        PartnerIntroduction.request_id == PartnerRequest.id,
        PartnerIntroduction.state == INTERESTED,
        open_request,
    )
    voted = exists().where(
        EventPollVote.poll_id == EventPoll.id, EventPollVote.member_id == member_id
    )
    poll = exists().where(
        EventPoll.event_id == Event.id, Event.status == OPEN, Event.starts_at > now, ~voted
    )
    return bool(session.execute(select(offer | to_answer | to_confirm | poll)).scalar())
