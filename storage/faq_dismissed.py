"""Questions the office dealt with outside the inbox, for every admin and after a restart: one
dismissed as a suggested new topic stays open in the inbox but is left out of the suggestions
from then on; one that got only choices and was taught to an entry or set aside leaves the
FAQ page's list of them (`handlers.faq.unpicked`). A question is named by
`handlers.faq.suggestions.Question.key` ("t" + ticket id or "q" + logged question id).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, utcnow

MAX_KEY = 24  # "t" or "q" and a 64-bit id


class DismissedQuestion(Base):
    __tablename__ = "faq_dismissed"

    question_key: Mapped[str] = mapped_column(String(MAX_KEY), primary_key=True)
    # The admin who dismissed it (no foreign key: the audit log keeps who, and an erased
    # admin's dismissals stay valid).
    admin_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    dismissed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


async def dismissed_keys(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(DismissedQuestion.question_key))).all())


async def is_dismissed(session: AsyncSession, key: str) -> bool:
    found = await session.get(DismissedQuestion, key)
    return found is not None


async def dismiss(session: AsyncSession, keys: Collection[str], admin_id: int | None) -> int:
    """Marks the questions dismissed; returns how many were not already."""
    known = set(
        (
            await session.scalars(
                select(DismissedQuestion.question_key).where(
                    DismissedQuestion.question_key.in_(list(keys))
                )
            )
        ).all()
    )
    new = [key for key in dict.fromkeys(keys) if key not in known]
    session.add_all(DismissedQuestion(question_key=key, admin_id=admin_id) for key in new)
    return len(new)
