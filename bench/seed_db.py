"""A bot database with the generated knowledge base, directory and learned phrasings in it,
written through the bot's own import paths (`rewimet-bot import faq` and `import members`), for
`bench/startup.py`'s `app_full`. Each member gets a Telegram account, so that partner search
can reach them (`FIRST_USER` + n is member n's user and chat id, in import order)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import faq_latency
import match_latency

from handlers.faq.kb_import import import_kb
from handlers.faq.learned import normalise
from handlers.faq.rules import entry_to_fields, validate
from handlers.members.directory_import import DirectoryRow, import_directory
from handlers.partners.directory import Candidate
from storage import faq, faq_learned, members
from storage.db import Database
from storage.faq_learned import PICK
from storage.migrate import upgrade

FIRST_USER = 100_000
MEMBER_SEED = 7  # the same directory and request as `startup.measure`'s


def _row(candidate: Candidate) -> DirectoryRow:
    return DirectoryRow(
        external_id=candidate.member_id,
        organisation=candidate.organisation,
        kind=candidate.kind,
        city=candidate.city,
        role=candidate.role,
        languages=list(candidate.languages),
        young_professional=candidate.young_professional,
        topics=list(candidate.topics),
        bio=candidate.bio,
        contact="",
    )


async def seed(url: str, entries: int, member_count: int, learned: int) -> dict[str, str]:
    """Fill a new database at `url`; returns the FAQ question and partner request to ask
    (the request as generated for `startup.measure`; the question one a member would write,
    not that bench's 20 kB message)."""
    db = Database(url)
    await upgrade(db)
    kb = faq_latency.generate_kb(entries)
    rng = random.Random(MEMBER_SEED)
    directory = match_latency.generate_members(member_count, rng)
    request = match_latency.generate_requests(1, rng)[0]
    async with db.session() as session:
        await import_kb(session, [validate(entry_to_fields(entry)) for entry in kb])
    async with db.session() as session:
        await import_directory(session, [_row(candidate) for candidate in directory])
    async with db.session() as session:
        ids = [member.id for member in await members.list_members(session)]
        for number, member_id in enumerate(ids):
            user = str(FIRST_USER + number)
            await members.add_account(
                session, member_id=member_id, platform="telegram", user_id=user, chat_id=user
            )
    now = datetime.now(UTC)
    async with db.session() as session:
        for number, item in enumerate(faq_latency.generate_learned(kb, learned)):
            learned_id = await faq_learned.add(
                session,
                entry_id=item.entry_id,
                lang=item.lang,
                text=item.text,
                norm=normalise(item.text),
                source=PICK,
                at=now,
            )
            teacher = ids[number % len(ids)] if ids else None
            if teacher is not None:
                await faq_learned.teach(
                    session,
                    learned_id=learned_id,
                    member_id=teacher,
                    question_id=None,
                    source=PICK,
                    at=now,
                )
        await faq.bump_revision(session)
    await db.close()
    return {"question": faq_latency.generate_queries(kb, 4)[3], "request": request}
