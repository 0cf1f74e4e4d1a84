"""Migration 0029: an organisation, role or topic stored with markdown around its words before
registration took the marks away ("*Magnet AG*") shows as its words after the upgrade, on
SQLite and PostgreSQL; other values stay as stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from storage.migrate import alembic_config
from tests.harness import make_harness

MEMBERS = sa.table(
    "members",
    *(sa.column(name) for name in ("display_name", "kind", "city", "bio", "contact")),
    *(sa.column(name) for name in ("language", "young_professional", "partner_consent")),
    *(sa.column(name) for name in ("news_subscribed", "onboarded", "is_admin")),
    *(sa.column(name) for name in ("created_at", "updated_at", "organisation", "role")),
    sa.column("id", sa.Integer()),
    sa.column("topics", sa.JSON()),
    sa.column("languages", sa.JSON()),
)
ACCOUNTS = sa.table(
    "accounts",
    *(sa.column(name) for name in ("member_id", "platform", "user_id", "chat_id")),
    *(sa.column(name) for name in ("unreachable", "unreachable_reason", "linked_at")),
)
BEFORE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# user, language, organisation, role, topics, as stored before the marks were taken away
STORED = {
    "anna": ("de", "*Magnet AG*", "**Forschung**", ["_Lithium_", "`Kobalt`", "~~Zinn~~"]),
    "ben": ("en", "__Harz Metal Ltd__", "`Research`", ["**rare earths**", "Recycling"]),
    # marks inside a word, a gender star, a lone mark and a repeat stored as such stay
    "carla": (
        "de",
        "snake_case Mitarbeiter*innen GmbH",
        "Leitung *",
        ["Batterie_recycling", "Lithium", "lithium"],
    ),
    # a topic that becomes one stored before it is dropped once (registration drops repeats)
    "dora": ("en", "Plain Ltd", "**Sales** and _Marketing_", ["Nickel", "*nickel*", "*Zinc*"]),
}
EXPECTED = {
    "anna": ("Magnet AG", "Forschung", ["Lithium", "Kobalt", "Zinn"]),
    "ben": ("Harz Metal Ltd", "Research", ["rare earths", "Recycling"]),
    "carla": (
        "snake_case Mitarbeiter*innen GmbH",
        "Leitung *",
        ["Batterie_recycling", "Lithium", "lithium"],
    ),
    "dora": ("Plain Ltd", "Sales and Marketing", ["Nickel", "Zinc"]),
}


def _at_0019_with_marked_members(url: str) -> Callable[[Connection], None]:
    config = alembic_config(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "0019")
        for user, (lang, organisation, role, topics) in STORED.items():
            member_id = connection.execute(
                sa.insert(MEMBERS)
                .values(
                    display_name=user.title(),
                    organisation=organisation,
                    role=role,
                    topics=topics,
                    kind="",
                    city="",
                    bio="",
                    languages=[],
                    contact=f"{user}@harz.example",
                    language=lang,
                    young_professional=False,
                    partner_consent=True,
                    news_subscribed=False,
                    onboarded=True,
                    is_admin=False,
                    created_at=BEFORE,
                    updated_at=BEFORE,
                )
                .returning(MEMBERS.c.id)
            ).scalar_one()
            connection.execute(
                sa.insert(ACCOUNTS).values(
                    member_id=member_id,
                    platform="console",
                    user_id=user,
                    chat_id=user,
                    unreachable=False,
                    unreachable_reason="",
                    linked_at=BEFORE,
                )
            )

    return run


async def _prepare(url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_at_0019_with_marked_members(url))
            await conn.commit()
    finally:
        await engine.dispose()


async def test_marked_names_and_topics_are_stored_as_their_words(bare_db_url: str) -> None:
    await _prepare(bare_db_url)
    bot = await make_harness(bare_db_url)  # starting the bot upgrades the database to the heads
    try:
        for user, (organisation, role, topics) in EXPECTED.items():
            member = await bot.member(user)
            assert member is not None
            assert (member.organisation, member.role, member.topics) == (
                organisation,
                role,
                topics,
            ), user
            assert member.contact == f"{user}@harz.example"
            assert member.updated_at == BEFORE
    finally:
        await bot.app.stop()


@pytest.mark.parametrize(
    ("user", "command_", "shown", "not_shown"),
    [
        ("anna", "/profil", ("Magnet AG", "Forschung", "Lithium; Kobalt; Zinn"), ("*", "`", "~")),
        ("ben", "/profile", ("Harz Metal Ltd", "Research", "rare earths; Recycling"), ("_", "`")),
    ],
)
async def test_the_profile_shows_the_words_without_the_marks(
    bare_db_url: str, user: str, command_: str, shown: tuple[str, ...], not_shown: tuple[str, ...]
) -> None:
    await _prepare(bare_db_url)
    bot = await make_harness(bare_db_url)
    try:
        reply = (await bot.send(user, command_)).text
        for words in shown:
            assert words in reply
        for mark in not_shown:
            assert mark not in reply
    finally:
        await bot.app.stop()


def test_the_frozen_rule_takes_away_what_registration_takes_away() -> None:
    """The migration's copy of the rule reads as `unmarked` reads today (it stays frozen)."""
    import importlib.util

    from handlers.members.rules import unmarked
    from storage.migrate import MIGRATIONS

    path = MIGRATIONS / "versions" / "0029_member_names_unmarked.py"
    spec = importlib.util.spec_from_file_location("migration_0029", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for typed in (
        "*Magnet AG*",
        "**Forschung** und _Entwicklung_",
        "`Indium`",
        "~~Zinn~~",
        "***Kobalt***",
        "snake_case",
        "Mitarbeiter*innen",
        "_max_ GmbH",
        "Harz Metall GmbH",
    ):
        assert migration.unmarked(typed) == unmarked(typed), typed
