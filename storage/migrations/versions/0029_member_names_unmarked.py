"""member names unmarked: an organisation, role or topic stored with markdown around its words
("*Magnet AG*", "**Forschung**", "_Lithium_", "`Kobalt`", "~~Zinn~~") before registration and
/profile took the marks away is stored as its words, as one typed now is; the directory, the
dashboard and partner introductions showed the marks as typed (our messages are HTML)

Revision ID: 0029
Revises: 0019
Create Date: 2026-12-05 14:18:00.000000
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of `handlers.members.rules.unmarked` (and its `_MARKDOWN`) as it was when this
# migration was written: a migration must clean what was stored then, whatever the rule
# becomes later. Markdown around words is taken away; marks inside a word stay ("snake_case",
# "Mitarbeiter*innen").
_MARKDOWN = re.compile(r"(?<!\w)(\*\*|__|~~|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")
# What a spreadsheet reads as the start of a formula: a value the marks kept from starting as
# one (registration refuses such a name) stays as stored.
_FORMULA_SIGNS = ("=", "+", "-", "@")

members = sa.table(
    "members",
    sa.column("id", sa.Integer()),
    sa.column("organisation", sa.String()),
    sa.column("role", sa.String()),
    sa.column("topics", sa.JSON()),
)


def unmarked(text: str) -> str:
    """`text` with markdown around words taken away, whitespace collapsed ("*Magnet AG*" is
    "Magnet AG"); `text` itself when nothing is left to take away or the words left would
    start as a formula or hold no word."""
    plain = text
    while True:
        bare = _MARKDOWN.sub(r"\2", plain)
        if bare == plain:
            break
        plain = bare
    plain = " ".join(plain.split())
    if plain == text or plain.startswith(_FORMULA_SIGNS) or not any(c.isalnum() for c in plain):
        return text
    return plain


def unmarked_topics(topics: list[object]) -> list[object]:
    """Each topic as its words; a cleaned topic that then repeats one kept before it is
    dropped, as registration drops it (any case); the order kept, and topics stored without
    marks stay as they are (repeats among them too)."""
    kept: list[object] = []
    for topic in topics:
        plain = unmarked(topic) if isinstance(topic, str) else topic
        if plain != topic and any(
            isinstance(known, str) and known.casefold() == str(plain).casefold() for known in kept
        ):
            continue
        kept.append(plain)
    return kept


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(members.c.id, members.c.organisation, members.c.role, members.c.topics)
    ).all()
    for member_id, organisation, role, topics in rows:
        changed: dict[str, object] = {}
        if organisation and unmarked(organisation) != organisation:
            changed["organisation"] = unmarked(organisation)
        if role and unmarked(role) != role:
            changed["role"] = unmarked(role)
        if isinstance(topics, list) and unmarked_topics(topics) != topics:
            changed["topics"] = unmarked_topics(topics)
        if changed:
            connection.execute(
                sa.update(members).where(members.c.id == member_id).values(**changed)
            )


def downgrade() -> None:
    # The marks are not kept anywhere: the words stay as they are.
    pass
