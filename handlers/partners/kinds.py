"""Kinds of partner: which kind a request names, and which members are of that kind.

The directory's ``kind`` column says what a member is, in whatever words the network uses
("university", "hochschule", "kommune", "chamber"). A general table
(``data/kind_words.txt``) groups everyday words for kinds of organisation; a kind value
belongs to the table's kind whose words include it, and a value the table does not know is
a kind of its own, named by its own word. A member's organisation name and role add kinds
too ("Institut für ...", "Laborleitung"). A request names a kind with the head of a word
("Hochschule", "Recyclingunternehmen", "Hochschullabor") or a phrase ("local authority").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from bot.textmatch.people import SAYS_SELF
from handlers.partners.directory import Candidate
from handlers.partners.text import is_stopword, stem, words

SYNONYMS = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
_LINE = re.compile(
    r"^\s*(?P<name>[a-z][a-z_-]*)(?P<soft>\?)?\s*(?:>\s*(?P<also>[^:]*))?:(?P<words>.*)$"
)
_ANNOTATION = re.compile(r"\([^)]*\)")
# Possessive determiners: a kind word after one names the requester's side, not the partner.
_POSSESSIVES = frozenset(
    [
        "unser",
        "unsere",
        "unserer",
        "unseren",
        "unserem",
        "unseres",
        "mein",
        "meine",
        "meiner",
        "meinen",
        "meinem",
        "our",
        "my",
    ]
)

_ARTICLES = frozenset({"a", "an", "ein", "eine", "einer", "einen", "einem", "eines"})
# Definite articles, alone or joined to a preposition ("im" = in dem): the noun phrase they
# open names something known, the requester's plan or operation ("im laufenden Zellbetrieb",
# "for the municipal heat plan", "in den Industriebetrieben"), not the partner sought, who is
# new to the conversation ("eine Hochschule", "a lab", "Firmen, die …").
_DEFINITE = frozenset(
    {"der", "die", "das", "den", "dem", "des", "the"}
    | {"im", "ins", "am", "ans", "beim", "vom", "zum", "zur"}
)
# Conjunctions offering alternatives.
_OR = frozenset({"or", "oder", "bzw", "beziehungsweise"})
# The words after such an article read as its noun phrase, at most.
_PHRASE_WORDS = 3


def _given(text: str) -> set[int]:
    """Positions (in `words(text)`) of the words of noun phrases a definite article opens:
    up to the first capitalised word (a German noun), a stop word or punctuation."""
    given: set[int] = set()
    position = 0
    left = 0  # words of an open definite phrase still to read
    for chunk in text.split():
        folded = words(chunk)
        raw = [w for w in re.split(r"[\W_]+", chunk) if w]
        capitals = [w[:1].isupper() for w in raw] if len(raw) == len(folded) else []
        for n, word in enumerate(folded):
            if word in _DEFINITE:
                left = _PHRASE_WORDS
            elif left and is_stopword(word):
                left = 0
            elif left:
                given.add(position)
                left -= 1
                if capitals and capitals[n]:
                    left = 0
            position += 1
        if re.search(r"[^\w\s]$", chunk):
            left = 0
    return given


def _describes_self(before: str, word: str) -> bool:
    """Saying what the requester is: "I am a …", "we're a …", "ich bin …", "wir sind eine …"
    (`people.SAYS_SELF`), "als …"/"as a …" (the word before, the word)."""
    return (before, word) in SAYS_SELF or word in ("als", "as")


# Share of an OpenThesaurus synonym set that must be a kind's own words to widen the kind.
WIDEN_MIN_SHARE = 1 / 3


@dataclass(frozen=True)
class KindTable:
    # kind -> stemmed word sequences that name it
    phrases: dict[str, frozenset[tuple[str, ...]]]
    # kind -> kinds whose members count as this kind too
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # kinds a request ranks first without leaving the others out
    soft: frozenset[str] = frozenset()

    def kinds_of_words(self, stems: Sequence[str]) -> set[str]:
        """Kinds named by a stemmed word sequence as a whole."""
        key = tuple(stems)
        return {kind for kind, phrases in self.phrases.items() if key in phrases}


def _key(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if not is_stopword(w))


def parse_kind_words(lines: Iterable[str], synonyms: Iterable[str] = ()) -> KindTable:
    """The table from its lines (``ValueError`` names a bad one), widened by synonym sets."""
    phrases: dict[str, set[tuple[str, ...]]] = {}
    also: dict[str, tuple[str, ...]] = {}
    soft: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"kind words line {number}: expected 'kind: word | word'")
        name = match["name"]
        keys = {_key(term) for term in match["words"].split("|")}
        keys.discard(())
        if not keys:
            raise ValueError(f"kind words line {number}: kind {name!r} has no words")
        phrases.setdefault(name, set()).update(keys)
        if match["also"]:
            also[name] = tuple(k.strip() for k in match["also"].split(",") if k.strip())
        if match["soft"]:
            soft.add(name)
    for synset in synonyms:
        terms = [_key(_ANNOTATION.sub(" ", t)) for t in synset.split(";")]
        keys = {t for t in terms if t}
        for known in phrases.values():
            # The set means this kind, not another sense: two of its terms and a third of
            # it are the kind's words. Two alone let a 60-word set of "Verbindung" senses
            # make "dürfen", "Freund" and "Anhang" name an association.
            if len(keys & known) >= max(2, WIDEN_MIN_SHARE * len(keys)):
                known.update(keys)
    return KindTable({k: frozenset(v) for k, v in phrases.items()}, also, frozenset(soft))


@cache
def load_kind_words(path: Path | None = None, *, widen: bool = True) -> KindTable:
    """The bundled table (or one from ``path``), widened by OpenThesaurus where installed
    (unless ``widen`` is False: the table's own words only)."""
    if path is None:
        text = resources.files(__package__).joinpath("data/kind_words.txt").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    if not widen:
        return parse_kind_words(text.splitlines())
    try:
        synonyms = SYNONYMS.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        synonyms = []
    return parse_kind_words(text.splitlines(), (s for s in synonyms if not s.startswith("#")))


class Kinds:
    """The kinds of a directory's members and of requests, for one directory."""

    def __init__(
        self,
        members: Sequence[Candidate],
        table: KindTable,
        split: Callable[[str], list[str]],
    ) -> None:
        self._table = table
        self._split = split
        phrases = {kind: set(keys) for kind, keys in table.phrases.items()}
        # a kind value no line knows is a kind of its own ("chamber")
        for member in members:
            key = _key(member.kind)
            if key and not any(key in keys for keys in phrases.values()):
                phrases.setdefault(member.kind, set()).add(key)
        self._phrases = {kind: frozenset(keys) for kind, keys in phrases.items()}
        self._longest = max((len(k) for keys in phrases.values() for k in keys), default=1)
        self.of_member: list[frozenset[str]] = [self._member_kinds(m) for m in members]

    def _named(self, key: tuple[str, ...]) -> set[str]:
        return {kind for kind, keys in self._phrases.items() if key in keys}

    def _widen(self, kinds: set[str]) -> frozenset[str]:
        """A member of a kind also counts for the kinds that accept it (a university is a lab)."""
        wide = set(kinds)
        for kind, accepted in self._table.also.items():
            if wide & set(accepted):
                wide.add(kind)
        return frozenset(wide)

    def _head_kinds(self, word: str) -> tuple[set[str], set[str]]:
        """Kinds a folded word names by its head (the longest kind-naming tail of its
        compound parts, request words such as "Partner" skipped), and those its other
        parts name; with no kind at the head the word names none."""
        whole = self._named((stem(word),))
        if whole:
            return whole, set()
        split = self._split(word)
        parts = [p for p in split if not is_stopword(p)]
        if len(split) < 2 or not parts:
            return set(), set()
        for start in range(1, len(parts)):
            head = self._named((stem("".join(parts[start:])),))
            if head:
                modifiers: set[str] = set()
                for part in parts[:start]:
                    modifiers |= self._named((stem(part),))
                return head, modifiers
        # "Forschungspartner": the head is a request word, the modifier names the kind
        return self._named((stem("".join(parts)),)), set()

    def _member_kinds(self, member: Candidate) -> frozenset[str]:
        kinds = self._named(_key(member.kind))
        for word in words(member.organisation):
            if not is_stopword(word):
                kinds |= self._head_kinds(word)[0]
        # a role tells a lab ("Laborleitung"), not what the organisation is
        soft = self._table.soft
        for word in words(member.role):
            for part in [word, *self._split(word)]:
                kinds |= self._named((stem(part),)) & soft
        return self._widen(kinds)

    def requested(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """The kinds a request names, and the stems that named them (framing, not content).

        A word names a kind by its head, its last part: "Recyclingunternehmen" is a
        company, "Stadtentwässerung" no municipality; a "Hochschullabor" names both.
        """
        # "für unsere Mitgliedsbetriebe", "our member companies", "I am a researcher", "als
        # Hochschule": the requester's own side
        tokens: list[str] = []
        own = said_self = False
        before = ""
        given = _given(text)
        for position, word in enumerate(words(text)):
            if word in _POSSESSIVES:
                own = True
                continue
            if _describes_self(before, word):
                said_self = True
                before = word
                continue
            before = word
            if said_self and word in _ARTICLES:
                continue
            # what the requester is, said right after "ich bin", "we are a" ("wir sind auf
            # der Suche nach einer Hochschule" says nothing of the kind)
            mine, said_self = said_self, False
            if is_stopword(word):
                continue
            tokens.append("" if own or mine or position in given else word)
            own = False
        stems = [stem(w) for w in tokens]
        kinds: set[str] = set()
        used: set[str] = set()
        i = 0
        while i < len(tokens):
            for length in range(min(self._longest, len(tokens) - i), 1, -1):
                found = self._named(tuple(stems[i : i + length]))
                if found:
                    kinds |= found
                    used.update(stems[i : i + length])
                    i += length
                    break
            else:
                head, modifiers = self._head_kinds(tokens[i]) if tokens[i] else (set(), set())
                if head:
                    kinds |= head | modifiers
                    used.add(stems[i])
                    used.update(stem(p) for p in self._split(tokens[i]) if self._named((stem(p),)))
                i += 1
        return frozenset(kinds), frozenset(used)

    def alternatives(self, text: str) -> bool:
        """True when the kinds a request names are offered as alternatives: two of their
        words joined by "or" ("a lab or university group", "Hochschule oder Institut"), so
        a member of either is as welcome as one of both."""
        used = self.requested(text)[1]
        last = -1
        between: list[str] = []
        for position, word in enumerate(words(text)):
            if stem(word) in used:
                if last >= 0 and position - last <= _PHRASE_WORDS and set(between) & _OR:
                    return True
                last, between = position, []
            else:
                between.append(word)
        return False

    def naming_words(self, text: str) -> list[str]:
        """The words of `text`, as written, that name the kinds `requested` finds
        ("Hochschule"), each once."""
        used = self.requested(text)[1]
        found: dict[str, None] = {}
        for word in re.findall(r"\w+", text):
            folded = words(word)
            if folded and stem(folded[0]) in used:
                found[word] = None
        return list(found)

    def is_soft(self, kinds: Iterable[str]) -> bool:
        """True when every named kind only ranks its members first."""
        return all(kind in self._table.soft for kind in kinds)
