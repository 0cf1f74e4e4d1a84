"""Where each term of a glossary comes from: the network's own texts or a general resource.

A term earns its place when the network's knowledge base, directory or documents use it
(source: the entry, the directory, the document), or when a general resource relates it to
another term of the same line (source: OpenThesaurus, WordNet, trans-de-en). A term with
no source was most likely written to fit an example, and is what this module reports.

    python -m bot.textmatch.provenance --kb KB.toml --members members.csv \
        --background docs/ glossary.txt

prints each term without a source; `--annotate OUT` writes the glossary again with a
`# source:` line above each concept line and the unsourced terms left out.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.textmatch import resources
from bot.textmatch.normalize import expand_contractions, fold, strip_punctuation
from bot.textmatch.stemming import LANGUAGES, is_stop_word, stem
from bot.textmatch.thesaurus import parse_thesaurus

MAX_GRAM = 5


def _words(text: str) -> list[str]:
    return strip_punctuation(fold(expand_contractions(text))).split()


class NetworkTexts:
    """The network's own texts by label ("KB entry membership-fee", "members.csv")."""

    def __init__(self, texts: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[tuple[str, ...], str] = {}
        self._stemmed: dict[tuple[str, ...], str] = {}
        for label, items in texts.items():
            for text in items:
                tokens = _words(text)
                for n in range(1, MAX_GRAM + 1):
                    for i in range(len(tokens) - n + 1):
                        gram = tuple(tokens[i : i + n])
                        self._exact.setdefault(gram, label)
                        self._stemmed.setdefault(_stems(gram), label)

    def source_of(self, term: str) -> str | None:
        """The label of a text using the term (as written, else inflected), or None."""
        gram = tuple(_words(term))
        if not gram or len(gram) > MAX_GRAM:
            return None
        return self._exact.get(gram) or self._stemmed.get(_stems(gram))


def _stems(gram: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(w, "de") for w in gram)


def resource_links(term: str, others: Iterable[str]) -> set[str]:
    """Names of the general resources that relate a one-word term to one of `others`."""
    tokens = _words(term)
    if len(tokens) != 1 or is_stop_word(tokens[0]):
        return set()
    word = tokens[0]
    targets = {lang: set() for lang in LANGUAGES}  # type: dict[str, set[str]]
    for other in others:
        parts = _words(other)
        if len(parts) == 1 and parts[0] != word:
            for lang in LANGUAGES:
                targets[lang].update(resources.word_keys(parts[0], lang))
    found: set[str] = set()
    checks = (
        ("OpenThesaurus", resources.synonyms_de(), "de", "de"),
        ("WordNet", resources.synonyms_en(), "en", "en"),
        ("trans-de-en", resources.german_to_english(), "de", "en"),
        ("trans-de-en", resources.english_to_german(), "en", "de"),
    )
    for name, table, source, target in checks:
        if set(resources.related_word(table, word, source)) & targets[target]:
            found.add(name)
    return found


@dataclass
class Provenance:
    """The sourced terms of one concept line by source, and the terms without one."""

    sources: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unsourced: list[str] = field(default_factory=list)

    def comment(self) -> str:
        parts = [f"{label} ({', '.join(terms)})" for label, terms in self.sources.items()]
        return "# source: " + "; ".join(parts)


def provenance_of(
    terms: Sequence[str], network: NetworkTexts | None, *, seeded: bool = True
) -> Provenance:
    """Sources of each term of a concept line: network texts first, then resources.

    With `seeded`, a resource link counts only towards a term that already has a source,
    so a chain of dictionary synonyms cannot carry a line away from the network's field.
    Without it (general-language lines, no network involved) a term needs a resource
    relating it to any other term of the line.
    """
    result = Provenance()
    sourced: list[str] = [] if seeded else list(terms)
    pending: list[str] = []
    for term in terms:
        label = network.source_of(term) if network is not None else None
        if label is None:
            pending.append(term)
        else:
            result.sources[label].append(term)
            sourced.append(term)
    changed = True
    while changed and pending:
        changed = False
        for term in list(pending):
            names = resource_links(term, [t for t in sourced if t != term])
            if names:
                result.sources[", ".join(sorted(names))].append(term)
                sourced.append(term)
                pending.remove(term)
                changed = True
    result.unsourced = pending
    return result


def read_network(kb: Path | None, members: Path | None, background: Path | None) -> NetworkTexts:
    """The knowledge base (per entry), the directory and the documents of a network."""
    texts: dict[str, list[str]] = defaultdict(list)
    if kb is not None:
        data = tomllib.loads(kb.read_text("utf-8"))
        for entry in data.get("faq", []):
            label = f"KB entry {entry.get('id', '?')}"
            texts[label].extend(_strings(entry))
    if members is not None:
        with members.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts[f"{members.name} topics"].append(row.get("topics") or "")
                texts[f"{members.name} bios"].extend(
                    row.get(k) or "" for k in ("bio", "organisation", "kind", "role", "city")
                )
    if background is not None:
        files = sorted(background.glob("*.txt")) if background.is_dir() else [background]
        for path in files:
            texts[f"{background.name}/{path.name}" if background.is_dir() else path.name].append(
                path.read_text("utf-8")
            )
    return NetworkTexts(texts)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def annotate(lines: Iterable[str], network: NetworkTexts) -> tuple[list[str], list[str]]:
    """The glossary again with a `# source:` line above each concept line, unsourced terms
    left out (and a line left with none dropped); and the terms left out."""
    out: list[str] = []
    dropped: list[str] = []
    for line in lines:
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith(("#", "!")):
            if not text.lstrip().startswith("# source:"):
                out.append(text)
            continue
        if not parse_thesaurus([text]):
            continue
        head, _, rest = text.partition(":")
        body, _, broader = rest.partition(">")
        raw_terms = [t.strip() for t in body.split("|") if t.strip()]
        found = provenance_of(raw_terms, network)
        dropped.extend(f"{head.strip()}: {t}" for t in found.unsourced)
        kept = [t for t in raw_terms if t not in found.unsourced]
        if not kept:
            continue
        out.append(found.comment())
        tail = f" > {broader.strip()}" if broader.strip() else ""
        out.append(f"{head.strip()}: {' | '.join(kept)}{tail}")
    return out, dropped


def main(argv: Sequence[str] | None = None) -> int:
    """Report (or drop) glossary terms that neither the network's texts nor a resource back."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("glossary", type=Path)
    parser.add_argument("--kb", type=Path)
    parser.add_argument("--members", type=Path)
    parser.add_argument("--background", type=Path)
    parser.add_argument("--annotate", type=Path, help="write the annotated glossary here")
    args = parser.parse_args(argv)
    network = read_network(args.kb, args.members, args.background)
    lines = args.glossary.read_text("utf-8").splitlines()
    annotated, dropped = annotate(lines, network)
    for term in dropped:
        print(f"no source: {term}")
    if dropped and not args.annotate:
        # what to do next, said where it is needed
        print(
            f"{len(dropped)} term(s) backed by neither the knowledge base, the directory, a "
            "--background document nor a general resource relating them to another term of "
            "their line: write them as those texts do (a compound's whole word), or leave "
            "them out; --annotate FILE writes the glossary without them, each line's sources "
            "named"
        )
    if args.annotate:
        args.annotate.write_text("\n".join(annotated) + "\n", encoding="utf-8")
    return 1 if dropped and not args.annotate else 0


if __name__ == "__main__":
    sys.exit(main())
