"""The ranking as the chat uses it: members from the database, an index kept between requests.

The index is built in the background when the bot starts (`start_building`): a search that
comes meanwhile waits for that build. It is rebuilt only when the members change (added,
edited, forgotten), when someone becomes reachable or unreachable or when the fairness cap
starts or stops leaving a member out, by the next search, which is told it takes a moment
(`prepare`), as are searches that come while it builds.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot import memory
from bot.services import Services
from bot.textmatch import index_cache
from handlers.partners.analysis import Content
from handlers.partners.concepts import Thesaurus, load_thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.evidence import MAX_ANSWERS, Answer
from handlers.partners.ranking import PartnerMatch, PartnerRanker
from handlers.partners.rules import FAIRNESS_WINDOW, MAX_RECENT_REQUESTS, TOP_K
from storage import partners
from storage.db import Database
from storage.partners import Profile

log = logging.getLogger(__name__)

# What a search does when it has to wait for the index being built: tell the member.
OnWait = Callable[[], Awaitable[object]]


# A rebuild that takes longer than this is announced (`OnWait`): on a small directory it
# takes a fraction of a second, and "Einen Moment …" before every search after a profile
# change would only be noise.
ANNOUNCE_AFTER_SECONDS = 1.0


async def _announced(work: Awaitable[PartnerRanker], on_wait: OnWait | None) -> PartnerRanker:
    """The result of `work`, with `on_wait` awaited once it has taken noticeably long."""
    task = asyncio.ensure_future(work)
    if on_wait is not None:
        done, _pending = await asyncio.wait({task}, timeout=ANNOUNCE_AFTER_SECONDS)
        if not done:
            await on_wait()
    return await task


def candidate(profile: Profile, *, recent_requests: int) -> Candidate:
    """A member as the ranking sees them; an unreachable one is never contacted (the office
    is told of those who fit: `PartnerRanker.unconnected_fits`)."""
    return Candidate(
        member_id=str(profile.member_id),
        organisation=profile.organisation,
        kind=profile.kind,
        city=profile.city,
        role=profile.role,
        languages=tuple(profile.languages or ()),
        young_professional=profile.young_professional,
        topics=tuple(profile.topics or ()),
        bio=profile.bio,
        consent=profile.partner_consent,
        recent_requests=recent_requests,
        reachable=profile.reachable,
    )


def _digest(candidates: Sequence[Candidate]) -> bytes:
    """A digest of the members as the ranking reads them (their repr is the same in every
    process, as `index_cache.key_of` needs too)."""
    return hashlib.sha256(repr(candidates).encode()).digest()


def build_ranker(
    candidates: Sequence[Candidate], max_recent_requests: int, thesaurus: Thesaurus
) -> PartnerRanker:
    """The ranking over `candidates`; read from disk when this directory was indexed before
    with the same glossary and code (a restarted bot need not index every member again)."""
    return index_cache.load_or_build(
        "partners",
        (list(candidates), max_recent_requests),
        lambda: PartnerRanker(
            candidates, max_recent_requests=max_recent_requests, thesaurus=thesaurus
        ),
        PartnerRanker,
    )


class PartnerMatcher:
    """Owns the ranking index for one bot; `match` is the only thing the chat calls."""

    def __init__(
        self,
        *,
        k: int = TOP_K,
        max_recent_requests: int = MAX_RECENT_REQUESTS,
    ) -> None:
        self.k = k
        self.max_recent_requests = max_recent_requests
        self._thesaurus: Thesaurus | None = None
        self._key: tuple[object, ...] | None = None
        self._ranker: PartnerRanker | None = None
        # What `_ranker` was built from, as a digest: the members themselves, kept, would be
        # a second copy of the directory once the ranking is read from the index cache.
        self._directory = b""
        self._answers_key: tuple[int, int] | None = None
        self._lock = asyncio.Lock()
        self.builds = 0
        self._building = False  # an index is being built in a thread
        self._at_start: asyncio.Task[None] | None = None

    @property
    def building(self) -> bool:
        """Whether a search now has to wait for an index being built (the one of the start,
        or a rebuild another search began)."""
        at_start = self._at_start is not None and not self._at_start.done()
        return at_start or self._building

    @property
    def _started(self) -> bool:
        """Whether a running bot's index is being replaced (or its start's build failed): a
        matcher no bot started (a test driving the chat alone) builds its first index
        unannounced, as before the bot built one at its start."""
        return self._ranker is not None or self._at_start is not None

    def start_building(self, db: Database, now: datetime) -> asyncio.Task[None]:
        """Build the index in the background (the bot's start); a search that comes meanwhile
        waits for this build instead of starting a second one."""
        if self._at_start is None:
            self._at_start = asyncio.create_task(self._build_at_start(db, now), name="partners")
        return self._at_start

    async def _build_at_start(self, db: Database, now: datetime) -> None:
        try:
            await self._current(db, now)
        except Exception:
            # the first search tries again; the bot serves everything else meanwhile
            log.exception("the partner index could not be built at start")

    async def prepare(self, db: Database, now: datetime, on_wait: OnWait) -> None:
        """Make the index current for a search; `on_wait` is awaited first when the search
        has to wait for a build: the start's, a rebuild another search began, or the rebuild
        this one begins because the directory changed (an import, a profile change)."""
        await self._current(db, now, on_wait)

    async def _current(
        self, db: Database, now: datetime, on_wait: OnWait | None = None
    ) -> PartnerRanker:
        async with db.session() as session:
            fingerprint = await partners.members_fingerprint(session)
            counts = await partners.recent_counts(session, since=now - FAIRNESS_WINDOW)
            reach = await partners.reachability_fingerprint(session)
            answered = await partners.answers_fingerprint(session)
        capped = frozenset(m for m, n in counts.items() if n > self.max_recent_requests)
        key = (fingerprint, reach, capped)
        if on_wait is not None and self.building:  # another's build: this search waits for it
            await on_wait()
            on_wait = None
        async with self._lock:
            if self._ranker is None or self._key != key:
                # Marked before the members are read: with many, that alone takes a while,
                # and a search meanwhile waits as for the build.
                self._building = True
                try:
                    # no collections while the members and the index are read (see
                    # FaqService._rebuild); `keep_built` collects what became garbage
                    with memory.collections_paused():
                        async with db.session() as session:
                            profiles = await partners.all_profiles(session)
                        candidates = [
                            candidate(p, recent_requests=counts.get(p.member_id, 0))
                            for p in profiles
                        ]
                        directory = _digest(candidates)
                        if self._ranker is None or directory != self._directory:
                            announce = on_wait if self._started else None
                            build = asyncio.to_thread(self._build, candidates)
                            self._ranker = await _announced(build, announce)
                            memory.keep_built()
                            self._directory = directory
                            self._answers_key = None
                            self.builds += 1
                        # else: what changed is nothing the ranking reads (a member's language)
                finally:
                    self._building = False
                self._key = key
            if self._answers_key != answered:
                # what members answered moves the next ranking; no index rebuild needed
                async with db.session() as session:
                    rows = await partners.answers_given(session, limit=MAX_ANSWERS)
                answers = [Answer(str(m), interested, text) for m, interested, text in rows]
                await asyncio.to_thread(self._ranker.evidence.load, answers)
                self._answers_key = answered
            return self._ranker

    def _build(self, candidates: Sequence[Candidate]) -> PartnerRanker:
        if self._thesaurus is None:
            self._thesaurus = load_thesaurus()
        return build_ranker(candidates, self.max_recent_requests, self._thesaurus)

    async def match(
        self,
        db: Database,
        *,
        requester_id: int,
        text: str,
        lang: str,
        now: datetime,
        any_kind: bool = False,
    ) -> list[PartnerMatch]:
        """The members a request should go to, best first; empty means: to the office.
        `any_kind`: members of any kind, whatever kind of partner the request names."""
        ranker = await self._current(db, now)
        return ranker.rank(text, lang, requester_id=str(requester_id), k=self.k, any_kind=any_kind)

    async def closest(
        self, db: Database, *, requester_id: int, text: str, now: datetime, k: int
    ) -> list[PartnerMatch]:
        """The members closest to a request, for the office to forward it to by hand."""
        ranker = await self._current(db, now)
        return ranker.closest(text, requester_id=str(requester_id), k=k)

    async def fits_only_busy(
        self, db: Database, *, requester_id: int, text: str, lang: str, now: datetime
    ) -> bool:
        """Whether nobody was found only because the members who fit were asked too often."""
        ranker = await self._current(db, now)
        return ranker.fits_only_busy(text, lang, requester_id=str(requester_id), k=self.k)

    async def unconnected_fits(
        self, db: Database, *, requester_id: int, text: str, lang: str, now: datetime
    ) -> list[PartnerMatch]:
        """When nobody can be contacted: the members who fit but have no reachable chat
        account yet (the office invites them), best first."""
        ranker = await self._current(db, now)
        return ranker.unconnected_fits(text, lang, requester_id=str(requester_id), k=self.k)

    async def needs_met(
        self,
        db: Database,
        *,
        requester_id: int,
        text: str,
        found: Sequence[str],
        now: datetime,
        any_kind: bool = False,
    ) -> list[tuple[str, int]]:
        """Each need of a request with several, with how many of the `found` members fit it."""
        ranker = await self._current(db, now)
        return ranker.needs_met(text, found, requester_id=str(requester_id), any_kind=any_kind)

    async def needs_of(
        self,
        db: Database,
        *,
        requester_id: int,
        text: str,
        found: Sequence[str],
        now: datetime,
        any_kind: bool = False,
    ) -> dict[str, tuple[str, ...]]:
        """For a request with several needs: the needs each of the `found` members fits, for
        those who fit only some (they are told which part of the request is theirs)."""
        ranker = await self._current(db, now)
        return ranker.needs_of(text, found, requester_id=str(requester_id), any_kind=any_kind)

    async def restricting_words(self, db: Database, text: str, now: datetime) -> list[str]:
        """The words naming the kinds the request reaches only members of (when `match`
        found nobody, the member may write it without them)."""
        ranker = await self._current(db, now)
        return ranker.restricting_words(text)

    async def content_terms(
        self, db: Database, texts: Sequence[str], now: datetime
    ) -> list[Content]:
        """What each of `texts` asks for, unit by unit (see `PartnerRanker.content_terms`)."""
        ranker = await self._current(db, now)
        return [ranker.content_terms(text) for text in texts]

    async def names_only_kind(self, db: Database, text: str, now: datetime) -> bool:
        """Whether the request names a kind of partner and nothing else to search by."""
        ranker = await self._current(db, now)
        return ranker.names_only_kind(text)

    async def names_nothing(self, db: Database, text: str, now: datetime) -> bool:
        """Whether the request says nothing to search by ("Partner gesucht")."""
        ranker = await self._current(db, now)
        return ranker.names_nothing(text)


# Where a running bot keeps its matcher (`Services.features`): the chat's and the dashboard's
# share one index (a second would double the directory's share of the memory).
MATCHER = "partners.matcher"


def matcher_of(services: Services) -> PartnerMatcher:
    """The partner matcher of this bot process (created on first use)."""
    matcher = services.features.get(MATCHER)
    if matcher is None:
        matcher = services.features[MATCHER] = PartnerMatcher()
    if not isinstance(matcher, PartnerMatcher):
        raise TypeError(f"services.features[{MATCHER!r}] is not a PartnerMatcher")
    return matcher
