"""Group commit: writes handled side by side share a transaction, yet each caller gets its own
result or its own error, as if it had written alone (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from storage import faq, members
from storage.db import Database
from storage.faq import FaqQuestion, QuestionLog
from storage.group_commit import GroupCommit
from storage.migrate import upgrade


def question(member_id: int, text: str) -> QuestionLog:
    return QuestionLog(member_id, text, "de", "answer", ("beitrag",), 0.9, "beitrag")


async def test_each_caller_gets_its_own_id_and_a_bad_item_fails_alone(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    async with db.session() as session:
        member = await members.create_member_with_account(
            session, platform="console", user_id="u1", chat_id="c1", display_name="Ada",
            language="de",
        )  # fmt: skip
    transactions = 0

    def write(session: Session, items: list[QuestionLog]) -> Sequence[int]:
        nonlocal transactions
        transactions += 1
        return faq.log_questions(session, items)

    log = GroupCommit(db, write, name="test", one_statement=True)  # as the question log
    texts = [f"Frage {n}" for n in range(20)]
    results = await asyncio.gather(
        *(log.submit(question(member.id, text)) for text in texts[:10]),
        log.submit(question(999_999, "no such member")),  # a foreign key violation
        *(log.submit(question(member.id, text)) for text in texts[10:]),
        return_exceptions=True,
    )
    assert isinstance(results[10], IntegrityError)
    ids = [r for r in results if isinstance(r, int)]
    assert len(set(ids)) == 20
    async with db.read() as session:
        stored = dict((await session.execute(select(FaqQuestion.id, FaqQuestion.text))).all())
    assert [stored[i] for i in ids] == texts  # every caller got the number of its own row
    # One shared attempt, then each alone (the failed batch); never one per caller up front.
    assert transactions == 1 + 21
    await db.close()


async def test_batches_share_a_transaction(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    sizes: list[int] = []

    def write(_session: Session, items: list[int]) -> Sequence[int]:
        sizes.append(len(items))
        await_only(asyncio.sleep(0.01))  # a slow write: the loop runs meanwhile
        return [item * 2 for item in items]

    doubled = GroupCommit(db, write, name="test")
    assert await asyncio.gather(*(doubled.submit(n) for n in range(50))) == [
        n * 2 for n in range(50)
    ]
    assert sum(sizes) == 50 and len(sizes) < 5  # not fifty transactions
    await db.close()


async def test_a_cancelled_caller_does_not_cancel_the_others(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)

    def write(_session: Session, items: list[int]) -> Sequence[int]:
        await_only(asyncio.sleep(0.05))
        return items

    echo = GroupCommit(db, write, name="test")
    first = asyncio.create_task(echo.submit(1))
    second = asyncio.create_task(echo.submit(2))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == 2
    with pytest.raises(asyncio.CancelledError):
        await first
    await db.close()
