"""The topics the texts give as examples ("Zu welchen Themen arbeiten Sie? … z. B.: …"): the
ones most members of this network's own directory name, so that another network's chat does
not read REWIMET's field; the catalogue's neutral ones until two members name a topic. Each
language gets the topics written in it: an English reader is not given "Backwaren" (the
neutral English ones when the directory's topics are all German)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable

from bot.i18n import LANGUAGES, use_topic_examples
from bot.services import Services
from bot.textmatch.resources import phrase_languages
from storage import members

EXAMPLES = 3
# A topic only one member names could point at that member: it is no example.
AT_LEAST = 2
MAX_CHARS = 40
# Looked up again after this long, on the next question that shows them.
REFRESH_SECONDS = 600.0
_FEATURE = "members:topic_examples"


def common_topics(topic_lists: Iterable[list[str]], limit: int | None = EXAMPLES) -> list[str]:
    """The topics most members name (case aside, in the spelling most use), most named
    first, at least `AT_LEAST` members each."""
    members_naming: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for topics in topic_lists:
        seen = {topic.strip().casefold(): topic.strip() for topic in topics if _usable(topic)}
        for key, spelling in seen.items():
            members_naming[key] += 1
            spellings.setdefault(key, Counter())[spelling] += 1
    ranked = sorted(members_naming.items(), key=lambda item: (-item[1], item[0]))
    return [spellings[key].most_common(1)[0][0] for key, n in ranked[:limit] if n >= AT_LEAST]


def examples_by_language(topic_lists: Iterable[list[str]]) -> dict[str, list[str]]:
    """The common topics (`common_topics`) each language's readers are given: those written
    in that language, `EXAMPLES` at most."""
    found: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for topic in common_topics(topic_lists, limit=None):
        for lang in phrase_languages(topic):
            if lang in found and len(found[lang]) < EXAMPLES:
                found[lang].append(topic)
        if all(len(topics) == EXAMPLES for topics in found.values()):
            break
    return found


def _usable(topic: str) -> bool:
    text = topic.strip()
    return 0 < len(text) <= MAX_CHARS and text[0].isalnum()


async def refresh(services: Services, *, force: bool = False) -> None:
    """Take the examples from the directory, at most every `REFRESH_SECONDS` (`force`: now,
    after an import)."""
    moment = time.monotonic()
    last = services.features.get(_FEATURE)
    if not force and isinstance(last, float) and moment - last < REFRESH_SECONDS:
        return
    services.features[_FEATURE] = moment
    async with services.db.read() as session:
        topics = await members.all_topics(session)
    # the word lists are read from disk the first time
    use_topic_examples(await asyncio.to_thread(examples_by_language, topics))
