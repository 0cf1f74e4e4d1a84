"""Ranks members for a free-text partner request.

A member's score is the share of the request's weight its profile covers (``index``).
Nobody below an absolute floor is contacted (the request then goes to the cluster office);
above it only members close enough to the best one, so a request that only two members fit
reaches two, not k. A request naming a kind of partner reaches members of that kind
(``kinds``); one asking for several things is also scored need by need (``needs``); what
members answered to similar requests earlier moves them a little (``evidence``).
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.textmatch.sentences import asking_part
from handlers.partners.analysis import Asked, Content, Unit
from handlers.partners.concepts import Thesaurus, load_thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.evidence import Answer, Evidence
from handlers.partners.index import (
    COMMON_FLOOR,
    SURE_SENSES,
    Coverage,
    MemberIndex,
    commonness_factor,
    content_words,
)
from handlers.partners.kinds import Kinds, KindTable, load_kind_words
from handlers.partners.needs import split_needs
from handlers.partners.text import stem, words

# Floors, chosen on folds of the development requests and checked on two invented networks
# (docs/partner-search.md): a member must cover this share of the request ...
MIN_SCORE = 0.14
# ... and this much weight (idf units of a term nobody uses) ...
MIN_MASS = 0.2
# ... unless it covers this share of all a short request asks for
# ("recycle e-waste" carries little weight, but a WEEE recycler covers it all)
MIN_MASS_SHARE = 0.6
MIN_RATIO = 0.5  # keep members scoring at least this share of the best one
# One need of a request with several ("a supplier of X and a lab for Y") is scored on
# its own; a member fitting it ranks at this discount against whole-request matches.
NEED_DISCOUNT = 0.7
# A need this small a share of the whole request's weight is a detail, not a need.
NEED_MIN_SHARE = 0.2
# Within one need only members close to that need's best count: a need is short, so
# many members cover some of it.
NEED_RATIO = 0.65
# The sentences that ask, beside context ones, are scored on their own when they carry at
# least this share of the request's weight and this many words of their own (not everyday
# ones such as "wer", "help"): with one ("Wer kann sie verwerten?") a question points to
# what the context named.
FOCUS_MIN_SHARE = 0.1
FOCUS_MIN_UNITS = 2
# A member of a kind the request names only to rank first ("a lab"): its score is raised
# by this factor, so it comes before others that fit about as well.
SOFT_KIND_BONUS = 1.25
# A member of a kind the request names as the only one wanted ("eine Hochschule") needs this
# share of MIN_SCORE: being of that kind is part of the fit, which the share does not count
# (the kind's words are framing, not content). Chosen on the development sets (water and
# hydrogen gain from 0.8 down to 0.4, REWIMET and timber unchanged, no request that nobody
# fits reaches anyone more); 0.6 is the middle of that range.
NAMED_KIND_FLOOR = 0.6


@dataclass(frozen=True)
class PartnerMatch:
    member_id: str
    score: float


@dataclass(frozen=True)
class _Part:
    """A part of a request scored on its own: one of several needs, or the sentences that
    ask. `ratio`: the relative cut within it (None: the ranker's); `discount`: what a fit to
    it counts against fits to the whole; it is scored only with `least_share` of the whole
    request's weight and `least_words` words that are not everyday ones."""

    text: str
    ratio: float | None
    discount: float
    least_share: float
    least_words: int = 1


def _org_key(name: str) -> str:
    return " ".join(words(name))


class PartnerRanker:
    """Routes partner requests to members; never to the requester, their own
    organisation, members without consent or a reachable chat account, or members asked too
    often lately."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        *,
        max_recent_requests: int = 3,
        thesaurus: Thesaurus | None = None,
        kind_words: KindTable | None = None,
        answers: Sequence[Answer] = (),
        min_score: float = MIN_SCORE,
        min_mass: float = MIN_MASS,
        min_ratio: float = MIN_RATIO,
        translate: bool = True,
    ) -> None:
        members = list(candidates)
        self.index, self.kinds = _profiles(
            members, thesaurus or load_thesaurus(), kind_words or load_kind_words(), translate
        )
        self._min_score = min_score
        self._min_ratio = min_ratio
        self._min_mass = min_mass
        # Of each member only the id and the organisation are kept (a stored ranking with the
        # whole profiles made a second copy of the directory beside the matcher's).
        self._ids = tuple(m.member_id for m in members)
        self._by_id = {member_id: i for i, member_id in enumerate(self._ids)}
        self._orgs: dict[str, list[int]] = {}
        org_of: list[str] = []
        for i, member in enumerate(members):
            org = _org_key(member.organisation)
            self._orgs.setdefault(org, []).append(i)
            org_of.append(org)
        self._org_of = tuple(org_of)  # each member's key of `_orgs`
        self._unavailable = frozenset(
            i
            for i, m in enumerate(members)
            if not m.consent or not m.reachable or m.recent_requests > max_recent_requests
        )
        # left out only for now: asked more often lately than the fairness cap allows
        self._busy = frozenset(
            i
            for i, m in enumerate(members)
            if m.consent and m.reachable and m.recent_requests > max_recent_requests
        )
        # left out until they connect a chat (an imported member not yet invited): the office
        # is told who they are, to invite them (`unconnected_fits`)
        self._unconnected = frozenset(
            i
            for i, m in enumerate(members)
            if m.consent and not m.reachable and m.recent_requests <= max_recent_requests
        )
        kind_members: dict[str, set[int]] = {}
        for i, kinds in enumerate(self.kinds.of_member):
            for kind in kinds:
                kind_members.setdefault(kind, set()).add(i)
        self._kind_members = {kind: frozenset(m) for kind, m in kind_members.items()}
        self.evidence = Evidence(self.index, self._by_id)
        self.evidence.load(answers)

    def units(self, text: str) -> list[Unit]:
        return self.index.units(text)

    def set_floors(self, *, min_score: float, min_mass: float) -> None:
        """Other floors on the same index (the evaluation's folds try several)."""
        self._min_score = min_score
        self._min_mass = min_mass

    def scores(self, text: str, requester_id: str | None = None) -> dict[int, tuple[float, float]]:
        """Unfiltered (share, covered weight) per member position; see ``MemberIndex``."""
        requester = self._by_id.get(requester_id) if requester_id is not None else None
        return self.index.coverage(text, requester)

    def _excluded(self, requester_id: str) -> set[int]:
        """The requester and their organisation (the unavailable are checked apart)."""
        own = self._by_id.get(requester_id)
        if own is None:
            return set()
        return {own, *self._orgs.get(self._org_of[own], ())}

    def _content(self, text: str) -> tuple[list[Unit], frozenset[str]]:
        """A text's units without the words that only name a kind of partner, and the kinds."""
        kinds, framing = self.kinds.requested(text)
        units = self.index.units(text)
        if framing:
            content = [u for u in units if not _only_framing(u, framing)]
            units = content or units
        return units, kinds

    def _asked_kinds(self, focus: str | None, named: frozenset[str]) -> frozenset[str]:
        """The kinds sought: those `named` in the whole request, unless some sentences only
        give context (`focus` is the asking ones); there a kind word is mostly the
        requester's own ("Wir sind eine Hochschule. Wer kann …")."""
        return named if focus is None else self.kinds.requested(focus)[0]

    def restricting_words(self, text: str) -> list[str]:
        """The words naming the kinds a request reaches only members of ("Hochschule");
        empty when it names none, or only one that ranks its members first ("Labor"), or
        when one of several needs names none ("erst ein Institut …, dann einen Anlagenbauer":
        that need reaches any member, so the kind is not why nobody was found)."""
        focus = asking_part(text)
        if not self._restricts(self._asked_kinds(focus, self.kinds.requested(text)[0])):
            return []
        needs = split_needs(text)
        if len(needs) > 1 and not all(
            self._restricts(self.kinds.requested(need)[0]) for need in needs
        ):
            return []
        return self.kinds.naming_words(text if focus is None else focus)

    def needs_met(
        self, text: str, member_ids: Sequence[str], *, requester_id: str, any_kind: bool = False
    ) -> list[tuple[str, int]]:
        """For a request with several needs: each need with how many of `member_ids` (those
        `rank` found) fit it, by the loosest floor the ranking applies; [] for one need."""
        by_need = self._fit_by_need(text, member_ids, requester_id, any_kind)
        return [(need, len(fit)) for need, fit in by_need]

    def needs_of(
        self, text: str, member_ids: Sequence[str], *, requester_id: str, any_kind: bool = False
    ) -> dict[str, tuple[str, ...]]:
        """For a request with several needs: the needs each of `member_ids` fits (as
        `needs_met` counts them), for those who fit some but not all; {} for one need."""
        by_need = self._fit_by_need(text, member_ids, requester_id, any_kind)
        found: dict[str, tuple[str, ...]] = {}
        for member_id in member_ids:
            fits = tuple(need for need, fit in by_need if member_id in fit)
            if fits and len(fits) < len(by_need):
                found[member_id] = fits
        return found

    def _fit_by_need(
        self, text: str, member_ids: Sequence[str], requester_id: str, any_kind: bool = False
    ) -> list[tuple[str, list[str]]]:
        """Each need of a request with several, with those of `member_ids` that fit it: as
        the need's own part of the ranking selects them (a member reached for the other need
        shares a word or two with this one, and was counted for both); a member it selects
        for no need, by the loosest floor (they were reached for the whole)."""
        needs = split_needs(text)
        if len(needs) < 2:
            return []
        requester = self._by_id.get(requester_id)
        excluded = self._excluded(requester_id)
        positions = [self._by_id[m] for m in member_ids if m in self._by_id]
        strict: list[set[int]] = []
        loose: list[set[int]] = []
        for need in needs:
            units, kinds = self._content(need)
            covered = self.index.cover(units, requester)
            least = self._kind_floor * covered.mass
            fit = {
                i
                for i in positions
                if i in covered.content and covered.total.get(i, 0.0) >= least > 0.0
            }
            kinds = kinds if self._restricts(kinds) and not any_kind else frozenset()
            if kinds:
                # "a municipality that collects batteries" is met by municipalities only
                fit = {i for i in fit if any(i in self._kind_members.get(k, ()) for k in kinds)}
            selected = self._select(
                covered, excluded, len(self._ids), NEED_RATIO, strict=True, kinds=kinds
            )
            strict.append({i for i, _share in selected} & fit)
            loose.append(fit)
        somewhere = set().union(*strict)
        return [
            (
                need,
                [
                    self._ids[i]
                    for i in positions
                    if i in mine or (i not in somewhere and i in wide)
                ],
            )
            for need, mine, wide in zip(needs, strict, loose, strict=True)
        ]

    def content_terms(self, text: str) -> Content:
        """What a text asks for, unit by unit: the terms each unit stands for itself (its
        stem, concepts, the whole compound; not broader concepts or dictionary senses) and
        those of its word's translations, without everyday words and words only naming a
        kind of partner; and how many needs it holds. Two requests whose units share terms
        ask for the same things, however worded and in either language
        (`rules.same_content`)."""
        units, _kinds = self._content(text)
        return Content(
            tuple(
                Asked(*self.index.asked(unit, SURE_SENSES), commonness_factor(unit.surface))
                for unit in units
                if commonness_factor(unit.surface) > COMMON_FLOOR
            ),
            max(1, len(split_needs(text))),
        )

    def names_only_kind(self, text: str) -> bool:
        """True when a request names a kind of partner and nothing it should do or know
        ("eine Hochschule", "university"): there is nothing to rank members of it by."""
        kinds, framing = self.kinds.requested(text)
        content = [u for u in self.index.units(text) if not _only_framing(u, framing)]
        return bool(kinds) and content_words(content) == 0

    def fits_only_busy(self, text: str, lang: str | None, *, requester_id: str, k: int) -> bool:
        """True when nobody is found only because the members who fit were asked too often
        lately (the fairness cap): the requester hears that, not that nobody fits."""
        if not self._busy or self.rank(text, lang, requester_id=requester_id, k=k):
            return False
        return bool(self._ranked_with(self._busy, text, requester_id, k))

    def unconnected_fits(
        self, text: str, lang: str | None, *, requester_id: str, k: int
    ) -> list[PartnerMatch]:
        """When nobody can be contacted: the members who would be, by the same floors and
        kinds, had they a reachable chat account (consenting, not busy, never of the
        requester's organisation), best first; [] when someone can be contacted."""
        if not self._unconnected or self.rank(text, lang, requester_id=requester_id, k=k):
            return []
        return self._ranked_with(self._unconnected, text, requester_id, k)

    def _ranked_with(
        self, admitted: frozenset[int], text: str, requester_id: str, k: int
    ) -> list[PartnerMatch]:
        """The ranking with `admitted` members available too, only those of them."""
        unavailable, self._unavailable = self._unavailable, self._unavailable - admitted
        try:  # `rank` runs to its end without yielding, so no other request sees this
            found = self.rank(text, None, requester_id=requester_id, k=k)
        finally:
            self._unavailable = unavailable
        return [match for match in found if self._by_id[match.member_id] in admitted]

    def closest(self, text: str, *, requester_id: str, k: int) -> list[PartnerMatch]:
        """For the office forwarding a request by hand: the members covering most of it,
        best first, those of a kind it names before the others (all of that kind when none
        of them covers it and they are no more than `k`), with no floor but the absolute one
        (a member sharing only a common word with it is no suggestion); never the
        requester's organisation, nor members who want no requests or have no chat account
        (a request by hand cannot reach them). Members asked often lately are included: the
        fairness cap keeps the bot from asking them, not the office."""
        units, named = self._content(text)
        focus = asking_part(text)
        kinds = self._asked_kinds(focus, named)
        requester = self._by_id.get(requester_id)
        shares: dict[int, float] = {}
        for part in (units, self._content(focus)[0] if focus is not None else []):
            covered = self.index.cover(part, requester)
            if covered.mass <= 0.0:
                continue
            for i in covered.content:
                value = covered.total.get(i, 0.0)
                if value / covered.scale >= self._min_mass:
                    shares[i] = max(shares.get(i, 0.0), value / covered.mass)
        barred = self._excluded(requester_id) | (self._unavailable - self._busy)
        of_kind = set().union(*(self._kind_members.get(kind, ()) for kind in kinds)) - barred
        if self._restricts(kinds) and len(of_kind) <= k and not of_kind & shares.keys():
            # "eine Hochschule, die …" where none covers it and there are only a few: those
            # few are where the office starts
            shares.update(dict.fromkeys(of_kind, 0.0))
        order = sorted(
            (i for i in shares if i not in barred),
            key=lambda i: (i not in of_kind, -shares[i], self._ids[i]),
        )
        return [PartnerMatch(self._ids[i], round(shares[i], 4)) for i in order[:k]]

    def names_nothing(self, text: str) -> bool:
        """True when a request holds nothing to rank members by: request words only
        ("Partner gesucht", "looking for a partner") or the network's broad activities
        ("Partner für Recycling"), each of which every member shares."""
        units, _kinds = self._content(text)
        return all(
            commonness_factor(unit.surface) <= COMMON_FLOOR or self.index.is_generic(unit)
            for unit in units
        )

    @property
    def _kind_floor(self) -> float:
        """The share a member of a kind the request names as the only one wanted must cover:
        the loosest floor the ranking applies."""
        return NAMED_KIND_FLOOR * self._min_score

    def _restricts(self, kinds: frozenset[str]) -> bool:
        """True when `kinds` (named by a request or a need) are the only ones asked for."""
        return bool(kinds) and not self.kinds.is_soft(kinds)

    def rank(
        self,
        text: str,
        lang: str | None,
        *,
        requester_id: str,
        k: int = 5,
        any_kind: bool = False,
    ) -> list[PartnerMatch]:
        """Best-first members to introduce; empty when nobody fits well enough.

        ``lang`` is accepted for callers that know it; matching is bilingual anyway.
        ``any_kind``: the kinds of partner the request names are not kept to (the member
        asked to search all members when none of those kinds fitted).
        """
        del lang
        if k <= 0:
            return []
        requester = self._by_id.get(requester_id)
        excluded = self._excluded(requester_id)
        units, named = self._content(text)
        focus = asking_part(text)
        kinds = frozenset() if any_kind else self._asked_kinds(focus, named)
        covered = self.index.cover(units, requester)
        if covered.mass <= 0.0:
            return []
        adjust = self.evidence.factors(units)
        needs = split_needs(text)
        # A kind one of several needs names is that need's: the whole request reaches the
        # members of that kind and, beside them, any member who fits it.
        exclusive = len(needs) < 2 or all(self._restricts(self._content(n)[1]) for n in needs)
        either = self.kinds.alternatives(text if focus is None else focus)
        found = dict(
            self._select(
                covered,
                excluded,
                k,
                kinds=kinds,
                adjust=adjust,
                exclusive=exclusive,
                either=either,
            )
        )
        # Parts scored on their own: a member who fits one of several needs well is a fit,
        # though it covers only part of the whole request; so is one who fits what is
        # asked when context sentences dilute it (the context still counts in the whole:
        # it often names the object, "We have 200 t of ash. Who can use it?").
        parts: list[_Part] = []
        if len(needs) > 1:
            parts = [_Part(need, NEED_RATIO, NEED_DISCOUNT, NEED_MIN_SHARE) for need in needs]
        if focus is not None:
            parts.append(_Part(focus, None, 1.0, FOCUS_MIN_SHARE, FOCUS_MIN_UNITS))
        for rule in parts:
            part_units, part_kinds = self._content(rule.text)
            part = self.index.cover(part_units, requester)
            if part.mass < rule.least_share * covered.mass:
                continue  # a detail
            if content_words(part_units) < rule.least_words:
                continue  # a question pointing to the context
            if any_kind:
                part_kinds = frozenset()
            selected = self._select(
                part,
                excluded,
                k,
                rule.ratio,
                strict=True,
                kinds=part_kinds,
                adjust=adjust,
                either=self.kinds.alternatives(rule.text),
            )
            for i, share in selected:
                found[i] = max(found.get(i, 0.0), rule.discount * share)
        order = sorted(found, key=lambda i: (-found[i], self._ids[i]))
        return [PartnerMatch(self._ids[i], round(found[i], 4)) for i in order[:k]]

    def _select(
        self,
        covered: Coverage,
        excluded: set[int],
        k: int,
        ratio: float | None = None,
        *,
        strict: bool = False,
        kinds: frozenset[str] = frozenset(),
        adjust: Mapping[int, float] | None = None,
        exclusive: bool = True,
        either: bool = False,
    ) -> list[tuple[int, float]]:
        """Members covering enough of a text, with their score, best first.

        A request naming a kind reaches members of that kind (those of most of the named
        kinds first), nobody else: when none of them fits, the office gets it. A soft kind
        ("lab") only ranks its members first. Not ``exclusive`` (the kind is one need's of
        several): the members of the kind, and beside them any member who fits. ``either``
        (kinds offered as alternatives, "a lab or a university"): a member of any of them
        counts as much as one of all.
        """
        if covered.mass <= 0.0:
            return []
        # a member sharing only the place or everyday words with the request is no fit
        total = {i: v for i, v in covered.total.items() if i in covered.content}
        if adjust:
            total = {i: v * adjust.get(i, 1.0) for i, v in total.items()}
        if not kinds:
            return self._fitting(covered, total, excluded, k, ratio, strict)
        degree: dict[int, int] = {}
        for kind in kinds:
            for i in self._kind_members.get(kind, ()):
                if i in total:
                    degree[i] = 1 if either else degree.get(i, 0) + 1
        if self.kinds.is_soft(kinds):
            total = {i: v * (SOFT_KIND_BONUS if i in degree else 1.0) for i, v in total.items()}
            return self._fitting(covered, total, excluded, k, ratio, strict)
        of_kind: list[tuple[int, float]] = []
        for level in sorted(set(degree.values()), reverse=True):
            subset = {i: total[i] for i, d in degree.items() if d == level}
            of_kind = self._fitting(covered, subset, excluded, k, ratio, strict, self._kind_floor)
            if of_kind:
                break
        if exclusive:
            return of_kind
        merged = dict(self._fitting(covered, total, excluded, k, ratio, strict))
        for i, score in of_kind:
            merged[i] = max(merged.get(i, 0.0), score)
        return sorted(merged.items(), key=lambda item: (-item[1], self._ids[item[0]]))

    def _fitting(
        self,
        covered: Coverage,
        total: Mapping[int, float],
        excluded: set[int],
        k: int,
        ratio: float | None,
        strict: bool,
        least: float | None = None,
    ) -> list[tuple[int, float]]:
        """``strict`` drops the short-request allowance: a need is a part of a request,
        so a member must earn the absolute floor on it. ``least`` is the share a member must
        cover (default: the ranker's floor)."""
        least = self._min_score if least is None else least
        best = self._best_available(total, excluded, k)
        if not best or total[best[0]] / covered.mass < least:
            return []
        relative = self._min_ratio if ratio is None else ratio
        cut = max(least, relative * total[best[0]] / covered.mass)
        floor = self._min_mass
        selected: list[tuple[int, float]] = []
        for i in best:
            share, weight = total[i] / covered.mass, total[i] / covered.scale
            # a weak absolute match only counts if it covers most of a short request
            allowance = floor if strict else min(floor, MIN_MASS_SHARE * weight / share)
            if share >= cut and weight >= allowance:
                selected.append((i, share))
        return selected

    def _best_available(self, total: Mapping[int, float], excluded: set[int], k: int) -> list[int]:
        """Up to k best-covering members who may be contacted, best first."""
        unavailable = self._unavailable
        wanted = k + len(excluded)
        while True:
            top = heapq.nlargest(wanted, total, key=total.__getitem__)
            found = [i for i in top if i not in excluded and i not in unavailable]
            if len(found) >= k or len(top) < wanted:
                break
            wanted *= 4  # many of the best were unavailable: look further
        found.sort(key=lambda i: (-total[i], self._ids[i]))
        return found[:k]


# What the index and the kinds read of a member.
_Profile = tuple[str, str, str, str, str, tuple[str, ...], str]
# The last directory's index and kinds, with what they were built from.
_last: tuple[Thesaurus, KindTable, bool, list[_Profile], MemberIndex, Kinds] | None = None
_last_lock = threading.Lock()


def _profiles(
    members: list[Candidate], thesaurus: Thesaurus, kind_words: KindTable, translate: bool
) -> tuple[MemberIndex, Kinds]:
    """The index and kinds of a directory; the previous ones when no profile changed.

    The ranker is rebuilt when consent or how often members were asked lately changes, which
    neither the index nor the kinds read; indexing thousands of profiles takes seconds of a
    thread that holds the interpreter lock."""
    global _last
    profiles: list[_Profile] = [
        (m.member_id, m.organisation, m.kind, m.city, m.role, m.topics, m.bio) for m in members
    ]
    with _last_lock:
        last = _last
    if (
        last is not None
        and last[0] is thesaurus
        and last[1] is kind_words
        and last[2] == translate
        and last[3] == profiles
    ):
        return last[4], last[5]
    index = MemberIndex(members, thesaurus, translate=translate)
    kinds = Kinds(members, kind_words, index.split)
    with _last_lock:
        _last = (thesaurus, kind_words, translate, profiles, index, kinds)
    return index, kinds


def _only_framing(unit: Unit, framing: frozenset[str]) -> bool:
    """True when every word of a unit only names a kind of partner."""
    return bool(unit.surface) and all(stem(word) in framing for word in unit.surface)
