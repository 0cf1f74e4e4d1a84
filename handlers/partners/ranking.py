"""Ranks members for a free-text partner request.

The cut-off follows the scores: nobody below an absolute floor (the request
then goes to the cluster office), and only members close enough to the best
one, so a request that only two members fit reaches two, not k.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.partners.analysis import Unit
from handlers.partners.concepts import Thesaurus, load_thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.index import Coverage, MemberIndex
from handlers.partners.needs import split_needs
from handlers.partners.text import words

MIN_SCORE = 0.22  # floor on the covered share of the request
MIN_MASS = 0.4  # floor on the covered weight (idf units of an unseen term) ...
# ... unless the member covers this share of all a short request asks for
# ("recycle e-waste" carries little weight, but a WEEE recycler covers it all)
MIN_MASS_SHARE = 0.6
MIN_RATIO = 0.5  # keep members scoring at least this share of the best one
# One need of a request with several ("a supplier of X and a lab for Y") is scored on
# its own; a member fitting it ranks at this discount against whole-request matches.
NEED_DISCOUNT = 0.7
# A need this small a share of the whole request's weight is a detail, not a need.
NEED_MIN_SHARE = 0.2
# Within one need only members close to that need's best count: a need is short, so
# many members cover some of it. Results were flat between 0.5 and 0.8 on both halves
# of the development set; the middle is taken.
NEED_RATIO = 0.65


@dataclass(frozen=True)
class PartnerMatch:
    member_id: str
    score: float


def _org_key(name: str) -> str:
    return " ".join(words(name))


class PartnerRanker:
    """Routes partner requests to members; never to the requester, their own
    organisation, members without consent or members asked too often lately."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        *,
        max_recent_requests: int = 3,
        thesaurus: Thesaurus | None = None,
        min_score: float = MIN_SCORE,
        min_mass: float = MIN_MASS,
        min_ratio: float = MIN_RATIO,
    ) -> None:
        self._members = list(candidates)
        self.index = MemberIndex(self._members, thesaurus or load_thesaurus())
        self._min_score = min_score
        self._min_ratio = min_ratio
        self._min_mass = min_mass
        self._by_id = {m.member_id: i for i, m in enumerate(self._members)}
        self._orgs: dict[str, list[int]] = {}
        for i, member in enumerate(self._members):
            self._orgs.setdefault(_org_key(member.organisation), []).append(i)
        self._unavailable = frozenset(
            i
            for i, m in enumerate(self._members)
            if not m.consent or m.recent_requests > max_recent_requests
        )

    def units(self, text: str) -> list[Unit]:
        return self.index.units(text)

    def scores(self, text: str, requester_id: str | None = None) -> dict[int, tuple[float, float]]:
        """Unfiltered (share, covered weight) per member position; see ``MemberIndex``."""
        requester = self._by_id.get(requester_id) if requester_id is not None else None
        return self.index.coverage(text, requester)

    def _excluded(self, requester_id: str) -> set[int]:
        """The requester and their organisation (the unavailable are checked apart)."""
        own = self._by_id.get(requester_id)
        if own is None:
            return set()
        return {own, *self._orgs.get(_org_key(self._members[own].organisation), ())}

    def rank(
        self, text: str, lang: str | None, *, requester_id: str, k: int = 5
    ) -> list[PartnerMatch]:
        """Best-first members to introduce; empty when nobody fits well enough.

        ``lang`` is accepted for callers that know it; matching is bilingual anyway.
        """
        del lang
        if k <= 0:
            return []
        requester = self._by_id.get(requester_id)
        excluded = self._excluded(requester_id)
        covered = self.index.cover(text, requester)
        found = dict(self._select(covered, excluded, k))
        needs = split_needs(text)
        if len(needs) > 1 and covered.mass > 0.0:
            # A member who fits one of several needs well is a fit, even though it
            # covers only part of the whole request.
            for need in needs:
                part = self.index.cover(need, requester)
                if part.mass < NEED_MIN_SHARE * covered.mass:
                    continue
                for i, share in self._select(part, excluded, k, NEED_RATIO, strict=True):
                    found[i] = max(found.get(i, 0.0), NEED_DISCOUNT * share)
        order = sorted(found, key=lambda i: (-found[i], self._members[i].member_id))
        return [PartnerMatch(self._members[i].member_id, round(found[i], 4)) for i in order[:k]]

    def _select(
        self,
        covered: Coverage,
        excluded: set[int],
        k: int,
        ratio: float | None = None,
        *,
        strict: bool = False,
    ) -> list[tuple[int, float]]:
        """Members covering enough of a text, with their covered share, best first.

        ``strict`` drops the short-request allowance: a need is a part of a request,
        so a member must earn the absolute floor on it.
        """
        if covered.mass <= 0.0:
            return []
        total = covered.total
        best = self._best_available(total, excluded, k)
        if not best or total[best[0]] / covered.mass < self._min_score:
            return []
        relative = self._min_ratio if ratio is None else ratio
        cut = max(self._min_score, relative * total[best[0]] / covered.mass)
        floor = self._min_mass
        selected: list[tuple[int, float]] = []
        for i in best:
            share, weight = total[i] / covered.mass, total[i] / covered.scale
            # a weak absolute match only counts if it covers most of a short request
            allowance = floor if strict else min(floor, MIN_MASS_SHARE * weight / share)
            if share >= cut and weight >= allowance:
                selected.append((i, share))
        return selected

    def _best_available(self, total: dict[int, float], excluded: set[int], k: int) -> list[int]:
        """Up to k best-covering members who may be contacted, best first."""
        unavailable = self._unavailable
        wanted = k + len(excluded)
        while True:
            top = heapq.nlargest(wanted, total, key=total.__getitem__)
            found = [i for i in top if i not in excluded and i not in unavailable]
            if len(found) >= k or len(top) < wanted:
                break
            wanted *= 4  # many of the best were unavailable: look further
        found.sort(key=lambda i: (-total[i], self._members[i].member_id))
        return found[:k]
