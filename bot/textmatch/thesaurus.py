"""Concepts of the matching engines: synonym sets across German and English, as data files.

Two files in one format, read together:

- ``data/general.txt``: the general-language layer any network shares (membership, fees,
  events, contact), each term backed by a general resource;
- the network's glossary, its own field (default ``data/glossary/rewimet.txt``, an example
  the operator replaces with the setting ``glossary``), each term backed by the network's
  knowledge base, directory or documents, or by a general resource.

Each concept line has a ``# source:`` comment line above it (see ``provenance``). Format::

    concept[@weight] [engine, ...]: term | term | ... > broader, broader
    !opposite concept concept     (a negated concept means the other one)
    !generic concept concept ...  (broad activities that say little about who fits)

`@weight` scales a concept's say (default 1); `> broader` names more general concepts
(a copper recycler also knows about metals); `#` starts a comment line. `[faq]` or
`[partners]` limits a concept to one engine: a word list tuned for telling FAQ topics
apart ("member", "contact") would pull member profiles together that a partner request
must tell apart, and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.textmatch.normalize import expand_contractions, fold, strip_punctuation

CONCEPT_PREFIX = "~"
GENERAL_LAYER = "data/general.txt"
DEFAULT_GLOSSARY = "data/glossary/rewimet.txt"
OPPOSITE_DIRECTIVE = "!opposite"
GENERIC_DIRECTIVE = "!generic"
# Engine names for concepts limited to one of them.
FAQ_ENGINE = "faq"
PARTNER_ENGINE = "partners"


@dataclass(frozen=True, slots=True)
class ConceptLine:
    """One synonym set: a concept id and its surface terms (folded, punctuation-free)."""

    concept: str
    terms: tuple[str, ...]
    weight: float = 1.0
    broader: tuple[str, ...] = ()
    # engines that use the concept; empty means all
    engines: frozenset[str] = frozenset()

    def used_by(self, engine: str | None) -> bool:
        """True when `engine` (None: any) loads this concept."""
        return engine is None or not self.engines or engine in self.engines


def parse_thesaurus(lines: Iterable[str], source: str = "thesaurus") -> list[ConceptLine]:
    """Parse `concept[@weight]: term | term > broader` lines; raise ValueError naming the
    bad line of `source` (the file, for the operator)."""
    concepts: list[ConceptLine] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith(("#", "!")):
            continue
        head, sep, rest = text.partition(":")
        head, _, raw_engines = head.strip().removesuffix("]").partition("[")
        engines = frozenset(e.strip() for e in raw_engines.split(",") if e.strip())
        concept, _, raw_weight = head.strip().partition("@")
        if not sep or not concept or " " in concept:
            raise ValueError(f"{source} line {number}: expected 'concept: term | term'")
        try:
            weight = float(raw_weight) if raw_weight else 1.0
        except ValueError:
            raise ValueError(f"{source} line {number}: bad weight {raw_weight!r}") from None
        rest, _, raw_broader = rest.partition(">")
        broader = tuple(b.strip() for b in raw_broader.split(",") if b.strip())
        cleaned = (strip_punctuation(fold(expand_contractions(r))) for r in rest.split("|"))
        terms = tuple(t for t in cleaned if t)
        if not terms:
            raise ValueError(f"{source} line {number}: concept {concept!r} has no terms")
        concepts.append(ConceptLine(concept, terms, weight, broader, engines))
    return concepts


def load_thesaurus(
    path: Path | None = None, *, engine: str | None = None, glossary: Path | None = None
) -> list[ConceptLine]:
    """The general layer with the network's glossary (default: the bundled example), or
    the single file at `path`; only `engine`'s concepts if given."""
    return [
        concept
        for name, text in _files(path, glossary)
        for concept in parse_thesaurus(text.splitlines(), name)
        if concept.used_by(engine)
    ]


# The operator's glossary (setting `[network] glossary`): one network per process, so it is
# set once when the bot starts and every engine built afterwards reads it.
_configured: list[Path] = []


def use_glossary(path: Path | None) -> None:
    """Read the network's glossary from `path` from now on (None: the bundled example)."""
    _configured[:] = [path] if path is not None else []


def default_glossary() -> Traversable:
    """The configured glossary, or the one shipped as an example: REWIMET's."""
    if _configured:
        return _configured[0]
    return resources.files("bot.textmatch").joinpath(DEFAULT_GLOSSARY)


def _files(path: Path | None, glossary: Path | None = None) -> list[tuple[str, str]]:
    """The files read, each with its name for an error: the general layer and the glossary
    are parsed apart, so that a bad line is named by the operator's file and its own line."""
    if path is not None:
        return [(str(path), path.read_text("utf-8"))]
    package = resources.files("bot.textmatch")
    own = glossary or default_glossary()
    own_name = str(own) if isinstance(own, Path) else f"bot/textmatch/{DEFAULT_GLOSSARY}"
    return [
        (f"bot/textmatch/{GENERAL_LAYER}", package.joinpath(GENERAL_LAYER).read_text("utf-8")),
        (own_name, own.read_text("utf-8")),
    ]


def unsourced_lines(lines: Iterable[str]) -> list[int]:
    """The numbers of the concept lines with no `# source:` comment among the comment lines
    right above them (the glossary's convention: every term has a source)."""
    missing: list[int] = []
    sourced = False
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("#"):
            sourced = sourced or text.removeprefix("#").strip().startswith("source:")
            continue
        if text and not text.startswith("!") and not sourced:
            missing.append(number)
        sourced = False
    return missing


def parse_opposites(lines: Iterable[str], source: str = "thesaurus") -> dict[str, str]:
    """Concept pairs from `!opposite a b` lines, both directions, as concept keys."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text.startswith(OPPOSITE_DIRECTIVE):
            continue
        names = text[len(OPPOSITE_DIRECTIVE) :].split()
        if len(names) != 2:
            raise ValueError(f"{source} line {number}: expected '!opposite concept concept'")
        left, right = (CONCEPT_PREFIX + n for n in names)
        pairs[left] = right
        pairs[right] = left
    return pairs


def load_opposites(path: Path | None = None, glossary: Path | None = None) -> dict[str, str]:
    """Opposite concept pairs of the general layer and glossary, or of the file at `path`."""
    pairs: dict[str, str] = {}
    for name, text in _files(path, glossary):
        pairs.update(parse_opposites(text.splitlines(), name))
    return pairs


def parse_generic(lines: Iterable[str]) -> frozenset[str]:
    """Concept ids named on `!generic` lines."""
    found: set[str] = set()
    for line in lines:
        text = line.strip()
        if text.startswith(GENERIC_DIRECTIVE):
            found.update(text[len(GENERIC_DIRECTIVE) :].split())
    return frozenset(found)


def load_generic(path: Path | None = None, glossary: Path | None = None) -> frozenset[str]:
    """Generic concepts of the general layer and glossary, or of the file at `path`."""
    return frozenset().union(
        *(parse_generic(text.splitlines()) for _, text in _files(path, glossary))
    )
