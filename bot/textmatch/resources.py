"""General-language resources: synonyms, translations, a German word list, word frequencies.

Every network has these, so nothing here is fitted to one network's questions:

| resource | package | what the engines take from it |
| --- | --- | --- |
| OpenThesaurus | Debian `openthesaurus-de-text` | German synonym sets |
| WordNet | Debian `wordnet-base` | English synonym sets; which words are nouns, or people |
| trans-de-en | Debian `trans-de-en` (Ding) | German <-> English translations |
| hunspell | Debian `hunspell-de-de` | German words (compounds); which are nouns |
| wordfreq | PyPI `wordfreq` | how common a word is in general language |

A resource that is missing is left out (the engines still run, with fewer links) and
`missing_resources()` names it for `rewimet-bot check`. The raw files are large (the
dictionary is 25 MB); each is parsed once into a compact table of single words, cached on
disk under the cache directory and keyed by the source file's size and modification time,
and read once per process. What relates to a network's own vocabulary is picked from these
tables by `bot.textmatch.links`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.textmatch.normalize import fold
from bot.textmatch.stemming import stem, stem_bilingual, stem_kept, stop_words, umlauts

log = logging.getLogger(__name__)

# Bump when a parser changes: cached tables of an older parser are then rebuilt.
TABLE_VERSION = 4
# A word listed with more related words than this is too ambiguous to link anything.
MAX_RELATED = 60
# Terms longer than this many words are examples or explanations, not synonyms.
MAX_TERM_WORDS = 1
# Words less frequent than this (Zipf scale, 0-8) are not kept in the frequency table:
# a word missing from it is not common, which is all a caller needs to know.
MIN_ZIPF = 3.5
MIN_WORD = 2
# Rarer words are left out of the table of non-nouns (a member seldom writes them; the table
# stays a fifth of the dictionaries' size).
MIN_EVERYDAY_ZIPF = 2.5

# Default locations of the Debian packages' files.
OPENTHESAURUS = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
WORDNET_DIR = Path("/usr/share/wordnet")
TRANS_DE_EN = Path("/usr/share/trans/de-en")
HUNSPELL_DE = Path("/usr/share/hunspell/de_DE.dic")
HUNSPELL_DE_AFFIXES = HUNSPELL_DE.with_suffix(".aff")
_WORDNET_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
_WORDNET_INDEXES = ("index.noun", "index.verb", "index.adj", "index.adv")
# hunspell flags of de_DE: a word only inside compounds ("Abbildungs-"), or only with an affix
_COMPOUND_ONLY_FLAGS = frozenset("oh")
# English pronouns WordNet lists as nouns ("someone": a person); grammar, not vocabulary
_PRONOUNS_EN = ("someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody")

_BRACKETS = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>")
# The dictionary's abbreviation of a term, standing alone between slashes ("Neodym {n} /Nd/
# [chem.]"): not a second word of the term, which would make it a phrase and drop it.
_ABBREVIATION = re.compile(r"(?<!\S)/[^/\s]+/(?!\S)")
_WORD = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")


@dataclass(frozen=True, slots=True)
class Resource:
    """A general-language resource: its name, the package that installs it, its file."""

    name: str
    package: str
    path: Path
    purpose: str

    @property
    def available(self) -> bool:
        """True when the resource can be read (a Python package: installed)."""
        if self.package.startswith("pypi:"):
            return importlib.util.find_spec(self.package.removeprefix("pypi:")) is not None
        return self.path.exists()


RESOURCES: tuple[Resource, ...] = (
    Resource("OpenThesaurus", "openthesaurus-de-text", OPENTHESAURUS, "German synonyms"),
    Resource("WordNet", "wordnet-base", WORDNET_DIR / "data.noun", "English synonyms"),
    Resource("trans-de-en", "trans-de-en", TRANS_DE_EN, "German-English translations"),
    Resource("hunspell German", "hunspell-de-de", HUNSPELL_DE, "German compound splitting"),
    Resource("wordfreq", "pypi:wordfreq", Path(), "how common a word is"),
)


def missing_resources() -> list[Resource]:
    """The resources this machine lacks (the engines run without them, matching less)."""
    return [r for r in RESOURCES if not r.available]


# ---------------------------------------------------------------------- the cache


def cache_dir() -> Path:
    """Where derived tables are kept: $REWIMET_CACHE_DIR, else the user's cache folder."""
    explicit = os.environ.get("REWIMET_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rewimet-bot"


def _stamp(source: Path) -> str:
    """A resource file as the cache knows it: path, size and modification time."""
    info = source.stat()
    return f"{source}:{info.st_size}:{info.st_mtime_ns}"


def fingerprint() -> str:
    """The stamps of every resource file present, and the library versions the engines
    stem and compare with: what a cached index built from them depends on."""
    from importlib.metadata import PackageNotFoundError, version

    stamps = [str(TABLE_VERSION)]
    wordfreq = importlib.util.find_spec("wordfreq")
    files = [OPENTHESAURUS, TRANS_DE_EN, HUNSPELL_DE]
    files += [WORDNET_DIR / name for name in _WORDNET_FILES]
    if wordfreq is not None and wordfreq.origin is not None:
        data = Path(wordfreq.origin).parent / "data"
        files += [data / f"large_{lang}.msgpack.gz" for lang in ("de", "en")]
    stamps += [_stamp(path) for path in files if path.exists()]
    for package in ("rapidfuzz", "snowballstemmer", "wordfreq"):
        try:
            stamps.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            stamps.append(f"{package} missing")
    return "|".join(stamps)


def _cached(name: str, sources: Iterable[Path], build: object) -> object:
    """A derived table, read from the cache when its sources are unchanged, else built."""
    stamp = [str(TABLE_VERSION)] + [_stamp(source) for source in sources]
    key = hashlib.sha1("|".join(stamp).encode()).hexdigest()[:16]
    path = cache_dir() / f"{name}-{key}.marshal"
    try:
        with path.open("rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    assert callable(build)
    table = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            marshal.dump(table, handle)
        partial.replace(path)  # atomic: a second process never reads half a table
    except OSError as exc:
        log.info("cannot cache %s in %s: %s", name, path.parent, exc)
    return table


# ---------------------------------------------------------------------- parsing


def clean_term(raw: str) -> str:
    """A dictionary term without annotations, folded: '{f} (fin.) Gebühr' -> 'gebuehr'."""
    text = _ABBREVIATION.sub(" ", _BRACKETS.sub(" ", raw))
    text = fold(text).replace("_", " ")
    text = re.sub(r"[^a-z0-9\- ]", " ", text)
    for prefix in ("to ", "sich "):
        if text.strip().startswith(prefix):
            text = text.strip()[len(prefix) :]
    return " ".join(text.split())


def _usable(term: str) -> bool:
    parts = term.split()
    return (
        0 < len(parts) <= MAX_TERM_WORDS
        and all(_WORD.match(p) for p in parts)
        and len(term) >= MIN_WORD
    )


def parse_synsets_openthesaurus(lines: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """OpenThesaurus text format: one synonym set per line, terms separated by ';'."""
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        terms = {clean_term(t) for t in line.split(";")}
        kept = tuple(sorted(t for t in terms if _usable(t)))
        if len(kept) > 1:
            yield kept


def parse_synsets_wordnet(lines: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """WordNet data files: `offset lexfile type count(hex) word lexid word lexid ...`."""
    for line in lines:
        if line.startswith("  ") or not line.strip():
            continue  # the licence header
        fields = line.split(" ", 4)
        if len(fields) < 5:
            continue
        count = int(fields[3], 16)
        rest = fields[4].split()
        terms = {clean_term(re.sub(r"\(.*\)$", "", rest[2 * i])) for i in range(count)}
        kept = tuple(sorted(t for t in terms if _usable(t)))
        if len(kept) > 1:
            yield kept


def _dictionary_terms(lines: Iterable[str]) -> Iterator[tuple[set[str], set[str]]]:
    """Ding's `German | forms :: English | forms` lines as the German and English terms of
    their first sense pair (the later ones are plural forms and examples)."""
    for line in lines:
        if line.startswith("#") or " :: " not in line:
            continue
        german, _, english = line.partition(" :: ")
        left = {clean_term(t) for t in german.split("|", 1)[0].split(";")}
        right = {clean_term(t) for t in english.split("|", 1)[0].split(";")}
        yield left, right


def parse_translations(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The dictionary's lines as (German, English) word pairs."""
    for left, right in _dictionary_terms(lines):
        for de in left:
            if _usable(de):
                for en in right:
                    if _usable(en) and en != de:
                        yield de, en


def parse_hunspell(lines: Iterable[str]) -> Iterator[str]:
    """Words of a hunspell .dic file (`word/FLAGS`), folded."""
    for number, line in enumerate(lines):
        if number == 0 or line.startswith(("\t", "#")):
            continue
        word = fold(line.split("/", 1)[0].strip())
        if word.isalpha() and len(word) >= MIN_WORD:
            yield word


Suffixes = dict[str, list[tuple[str, str, re.Pattern[str]]]]


def parse_hunspell_suffixes(lines: Iterable[str]) -> Suffixes:
    """The suffix rules of a hunspell .aff file by flag: what each strips from a word's end,
    what it adds, and the ending a word needs for it ("darfst/W" is also "darf")."""
    rules: Suffixes = defaultdict(list)
    for line in lines:
        fields = line.split()
        if len(fields) < 5 or fields[0] != "SFX":
            continue  # a block's header has four fields
        flag, strip, add, condition = fields[1], fields[2], fields[3], fields[4]
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add.partition("/")[0]
        try:
            rules[flag].append((strip, add, re.compile(f"(?:{condition})$")))
        except re.error:
            continue
    return dict(rules)


def _suffix_forms(word: str, flags: str, suffixes: Suffixes) -> Iterator[str]:
    for flag in flags:
        for strip, add, condition in suffixes.get(flag, ()):
            if condition.search(word) and word.endswith(strip):
                yield word[: len(word) - len(strip)] + add


def parse_hunspell_by_case(
    lines: Iterable[str], suffixes: Suffixes | None = None
) -> Iterator[tuple[str, bool]]:
    """Standalone words of a German hunspell .dic file and whether each is a noun
    (capitalised); entries that only begin compounds or need an affix are left out. With
    the .aff file's `suffixes`, each word's suffixed forms follow it."""
    for number, line in enumerate(lines):
        if number == 0 or line.startswith(("\t", "#")):
            continue
        word, _, flags = line.strip().partition("/")
        if not word.isalpha() or len(word) < MIN_WORD or _COMPOUND_ONLY_FLAGS & set(flags):
            continue
        noun = word[0].isupper()
        yield word, noun
        for form in _suffix_forms(word, flags, suffixes or {}):
            if form.isalpha() and len(form) >= MIN_WORD:
                yield form, noun


def parse_wordnet_index(lines: Iterable[str]) -> Iterator[tuple[str, int]]:
    """Single-word lemmas of a WordNet index file with how often each was found in tagged
    text (`tagsense_cnt`: 0 for a sense nobody used, as "like" the noun)."""
    for line in lines:
        if line.startswith(" "):
            continue  # the licence
        fields = line.split()
        if len(fields) < 4 or not fields[0].isalpha():
            continue
        try:
            tagged = int(fields[5 + int(fields[3])])  # after the pointer symbols
        except (IndexError, ValueError):
            continue
        yield fields[0], tagged


def _read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield from handle


# A relation table maps the stem of a word (in its language) to the '|'-joined stems of its
# related words (in theirs): stems, because members and entries inflect ("Gebühren",
# "fees") while dictionaries list base forms, and one table keyed by stem serves both.
Table = dict[str, str]


def _stemmed_synsets(synsets: Iterable[tuple[str, ...]], lang: str) -> Table:
    related: dict[str, set[str]] = defaultdict(set)
    for synset in synsets:
        stems = {stem_kept(t, lang) for t in synset}
        for key in stems:
            related[key].update(s for s in stems if s != key)
    return _compact(related)


def _compact(related: dict[str, set[str]]) -> Table:
    """Drop the too ambiguous and join the rest: a compact table that loads fast."""
    return {
        key: "|".join(sorted(others))
        for key, others in related.items()
        if 0 < len(others) <= MAX_RELATED and len(key) >= MIN_WORD
    }


def related(table: Table, key: str) -> tuple[str, ...]:
    """The related stems of `key` in a relation table."""
    value = table.get(key)
    return tuple(value.split("|")) if value else ()


def word_keys(word: str, lang: str) -> tuple[str, ...]:
    """The keys a folded word is looked up by in the tables and links of general language.

    The tables keep German umlauts (`stem_kept`: "Förderung" is funding, "Forderung" a
    claim). A word with umlaut that the dictionary or the thesaurus lists as written is read
    by that key alone; another form with umlaut by it and by its plain stem, as the stemmer
    makes it: "Gebühren" is listed as "Gebühr", "fährt" is a form of "fahren" (or "Fahrt"),
    not only the listed "Fährte".
    """
    plain = stem(word, lang)
    if lang != "de" or not umlauts(word):
        return (plain,)
    kept = stem_kept(word, lang)
    if word in umlaut_words() or kept == plain:
        return (kept,)
    return (kept, plain)


def related_word(table: Table, word: str, lang: str) -> tuple[str, ...]:
    """The related stems of a folded word in a table keyed by `lang` stems (`word_keys`)."""
    keys = word_keys(word, lang)
    if len(keys) == 1:
        return related(table, keys[0])
    return tuple(dict.fromkeys(s for key in keys for s in related(table, key)))


# ---------------------------------------------------------------------- tables


@cache
def synonyms_de(path: Path = OPENTHESAURUS) -> Table:
    """German stem -> German synonym stems (OpenThesaurus); empty when missing."""
    if not path.exists():
        return {}
    build = lambda: _stemmed_synsets(parse_synsets_openthesaurus(_read_lines(path)), "de")  # noqa: E731
    return _as_table(_cached("openthesaurus", [path], build))


@cache
def synonyms_en(directory: Path = WORDNET_DIR) -> Table:
    """English stem -> English synonym stems (WordNet); empty when missing."""
    files = [directory / name for name in _WORDNET_FILES]
    if not all(f.exists() for f in files):
        return {}

    def build() -> Table:
        synsets = (s for f in files for s in parse_synsets_wordnet(_read_lines(f)))
        return _stemmed_synsets(synsets, "en")

    return _as_table(_cached("wordnet", files, build))


@cache
def _translation_tables(path: Path) -> tuple[Table, Table]:
    def build() -> list[Table]:
        de_en: dict[str, set[str]] = defaultdict(set)
        en_de: dict[str, set[str]] = defaultdict(set)
        for de, en in parse_translations(_read_lines(path)):
            de_stem, en_stem = stem_kept(de, "de"), stem(en, "en")
            de_en[de_stem].add(en_stem)
            en_de[en_stem].add(de_stem)
        return [_compact(de_en), _compact(en_de)]

    tables = _cached("trans-de-en", [path], build)
    if isinstance(tables, list) and len(tables) == 2:
        return _as_table(tables[0]), _as_table(tables[1])
    return {}, {}


# A German compound's last part names what it is ("Stromnetz" is a Netz); the dictionary's
# two-word English translation names it last as well ("power grid"). Pairs of such heads
# seen this often, and in this share of the English word's two-word translations, are taken
# as translations of each other (grid - Netz, operator - Betreiber, cylinder - Flasche).
MIN_HEAD_PAIRS = 3
MIN_HEAD_SHARE = 0.15
MIN_HEAD = 4
MIN_HEADED_COMPOUND = 8
_PLAIN_WORD = re.compile(r"^[a-z]+$")


def _compound_head(word: str, german: frozenset[str]) -> str | None:
    """The longest last part of a German compound that is a word of its own, if any."""
    for start in range(1, len(word) - MIN_HEAD + 1):
        if word[start:] in german:
            return word[start:]
    return None


def parse_compound_heads(lines: Iterable[str], german: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(English last word, German compound head) of each dictionary line translating a German
    compound with a two-word English term ("Stromnetz :: power grid" -> grid, netz)."""
    for left, right in _dictionary_terms(lines):
        heads = {
            head
            for de in left
            if len(de) >= MIN_HEADED_COMPOUND and _PLAIN_WORD.match(de)
            for head in [_compound_head(de, german)]
            if head is not None
        }
        for en in right:
            parts = en.split()
            if len(parts) == 2 and all(_PLAIN_WORD.match(p) for p in parts):
                for head in heads:
                    yield parts[1], head


def _head_tables(path: Path, german_path: Path) -> tuple[Table, Table]:
    def build() -> list[Table]:
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        seen: dict[str, int] = defaultdict(int)
        for english, head in parse_compound_heads(_read_lines(path), german_words(german_path)):
            pairs[(english, head)] += 1
            seen[english] += 1
        de_en: dict[str, set[str]] = defaultdict(set)
        en_de: dict[str, set[str]] = defaultdict(set)
        for (english, head), count in pairs.items():
            if count >= MIN_HEAD_PAIRS and count >= MIN_HEAD_SHARE * seen[english]:
                de_stem, en_stem = stem_kept(head, "de"), stem(english, "en")
                if de_stem != en_stem:
                    de_en[de_stem].add(en_stem)
                    en_de[en_stem].add(de_stem)
        return [_compact(de_en), _compact(en_de)]

    tables = _cached("compound-heads", [path, german_path], build)
    if isinstance(tables, list) and len(tables) == 2:
        return _as_table(tables[0]), _as_table(tables[1])
    return {}, {}


def head_translations(
    path: Path = TRANS_DE_EN, german_path: Path = HUNSPELL_DE
) -> tuple[Table, Table]:
    """German head stem -> English head stems and back, mined from the dictionary's compound
    translations (see `MIN_HEAD_PAIRS`); empty when either resource is missing."""
    if not (path.exists() and german_path.exists()):
        return {}, {}
    return _head_tables(path, german_path)


@cache
def umlaut_words(path: Path = TRANS_DE_EN, thesaurus: Path = OPENTHESAURUS) -> frozenset[str]:
    """The German words with umlaut (folded: "foerderung") that the dictionary or the
    thesaurus list as written; empty when both are missing."""
    sources = [p for p in (path, thesaurus) if p.exists()]

    def build() -> list[str]:
        words: set[str] = set()
        if path.exists():
            words.update(de for de, _ in parse_translations(_read_lines(path)))
        if thesaurus.exists():
            for synset in parse_synsets_openthesaurus(_read_lines(thesaurus)):
                words.update(synset)
        return sorted(w for w in words if umlauts(w))

    found = _cached("umlaut-words", sources, build) if sources else []
    return frozenset(found) if isinstance(found, list) else frozenset()


def german_to_english(path: Path = TRANS_DE_EN) -> Table:
    """German stem -> English stems it translates to (trans-de-en); empty when missing."""
    return _translation_tables(path)[0] if path.exists() else {}


def english_to_german(path: Path = TRANS_DE_EN) -> Table:
    """English stem -> German stems it translates to (trans-de-en); empty when missing."""
    return _translation_tables(path)[1] if path.exists() else {}


# WordNet's lexicographer file of the synsets that are people ("noun.person"): a trainee, an
# intern, a boss, a partner, a guest.
_NOUN_PERSON = 18


def parse_wordnet_people(index: Iterable[str], data: Iterable[str]) -> Iterator[str]:
    """Single-word nouns of WordNet whose first, most frequent sense is a person ("intern",
    "apprentice", "boss"; not "dog", whose later senses include a person)."""
    people: set[str] = set()
    for line in data:
        fields = line.split(" ", 2)
        if len(fields) == 3 and fields[0].isdigit() and fields[1] == f"{_NOUN_PERSON:02d}":
            people.add(fields[0])
    for line in index:
        fields = line.split()
        if len(fields) < 4 or line.startswith(" ") or not fields[0].isalpha():
            continue
        try:
            first = fields[6 + int(fields[3])]  # after the pointer symbols and two counts
        except (IndexError, ValueError):
            continue
        if first in people:
            yield fields[0]


@cache
def people_en(directory: Path = WORDNET_DIR) -> frozenset[str]:
    """English words for a person (`parse_wordnet_people`), folded; empty when missing."""
    index, data = directory / "index.noun", directory / "data.noun"
    if not (index.exists() and data.exists()):
        return frozenset()

    def build() -> list[str]:
        found = parse_wordnet_people(_read_lines(index), _read_lines(data))
        return sorted({fold(word) for word in found})

    table = _cached("wordnet-people-words", [index, data], build)
    return frozenset(table) if isinstance(table, list) else frozenset()


# An English phrase the dictionary translates with one German word: "sewage works" is a
# "Kläranlage", "wind farm" a "Windpark", "steel mill" a "Stahlwerk" (word by word, "works",
# "farm" and "mill" translate to nothing of the kind).
MAX_PHRASE_WORDS = 3


def parse_phrase_translations(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The dictionary's (English phrase, German word) pairs: the phrase as the English stems
    of its words that are no function words ("end of life": "end life"), two or three of
    them; the German word folded."""
    function_words = stop_words("en")
    for left, right in _dictionary_terms(lines):
        german = [de for de in left if _usable(de)]
        if not german:
            continue
        for en in right:
            parts = en.split()
            if len(parts) < 2 or not all(_WORD.match(p) for p in parts):
                continue
            kept = [stem(p, "en") for p in parts if p not in function_words]
            if 2 <= len(kept) <= MAX_PHRASE_WORDS:
                key = " ".join(kept)
                for de in german:
                    yield key, de


def english_phrases(path: Path = TRANS_DE_EN) -> Table:
    """English phrase (stems, see `parse_phrase_translations`) -> the bilingual stems
    (`stem_bilingual`) of the German words it translates to; empty when the dictionary is
    missing. Read afresh each time (from the cache: a tenth of a second): the caller keeps
    what a directory uses, not the 20 MB of the whole table."""
    if not path.exists():
        return {}

    def build() -> Table:
        found: dict[str, set[str]] = defaultdict(set)
        for key, german in parse_phrase_translations(_read_lines(path)):
            found[key].add(stem_bilingual(german))
        return _compact(found)

    return _as_table(_cached("trans-en-phrase-stems", [path], build))


@cache
def german_words(path: Path = HUNSPELL_DE) -> frozenset[str]:
    """Folded German words of the hunspell dictionary; empty when missing."""
    if not path.exists():
        return frozenset()
    build = lambda: sorted(set(parse_hunspell(_read_lines(path))))  # noqa: E731
    table = _cached("hunspell-de", [path], build)
    return frozenset(table) if isinstance(table, list) else frozenset()


@cache
def non_nouns(lang: str) -> frozenset[str]:
    """Folded `lang` words the dictionaries list only as verbs, adjectives or adverbs, never
    as a noun ("falsch", "geplant", "directly", "thematic"), in their base forms (see
    `base_forms`); empty when a dictionary is missing. A word that is no noun names no object
    of its own. German words English lists as nouns are left out: German messages borrow
    English nouns ("ein Update", "das Like")."""
    german, english = HUNSPELL_DE, [WORDNET_DIR / name for name in _WORDNET_INDEXES]
    if not german.exists() or not all(path.exists() for path in english):
        return frozenset()

    def build() -> list[list[str]]:
        common = _commonness()
        nouns_de: set[str] = set()
        others_de: set[str] = set()
        suffixes = (
            parse_hunspell_suffixes(_read_lines(HUNSPELL_DE_AFFIXES))
            if HUNSPELL_DE_AFFIXES.exists()
            else {}
        )
        for word, noun in parse_hunspell_by_case(_read_lines(german), suffixes):
            if noun:
                nouns_de.add(fold(word))
            elif common(word, "de"):
                others_de.add(fold(word))
        # What a noun's ending may be stripped to is no verb form either: "treffe" is
        # "Treffen" for `base_forms` as well as a form of "treffen".
        nouns_de.update([base for noun in list(nouns_de) for base in base_forms(noun, "de")])
        tagged: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # as a noun, as another
        for path in english:
            slot = 0 if path.name == "index.noun" else 1
            for word, count in parse_wordnet_index(_read_lines(path)):
                tagged[word][slot] += count + 1  # + 1: listed, whether tagged or not
        # An English word is a noun when it was found as one more than never ("like" the
        # noun was never found), or is listed as nothing else.
        nouns_en = {w for w, (noun, other) in tagged.items() if noun > 1 or not other}
        nouns_en.difference_update(_PRONOUNS_EN)
        others_en = {w for w in tagged if w not in nouns_en and common(w, "en")}
        folded = {fold(w) for w in nouns_en}
        return [sorted(others_de - nouns_de - folded), sorted(fold(w) for w in others_en)]

    affixes = [HUNSPELL_DE_AFFIXES] if HUNSPELL_DE_AFFIXES.exists() else []
    tables = _cached("non-nouns", [german, *affixes, *english], build)
    if not (isinstance(tables, list) and len(tables) == 2):
        return frozenset()
    return frozenset(tables[0 if lang == "de" else 1])


def _commonness() -> Callable[[str, str], bool]:
    """Whether a word is common enough in general language to keep in a table of everyday
    words (every word when wordfreq is missing)."""
    if importlib.util.find_spec("wordfreq") is None:
        return lambda word, lang: True
    import wordfreq

    return lambda word, lang: wordfreq.zipf_frequency(word, lang) >= MIN_EVERYDAY_ZIPF


# Inflection endings a base form may have taken (German adjectives and participles, English
# plural, past and -ing forms): enough to find "falschen" under "falsch".
_ENDINGS = {
    "de": ("e", "en", "em", "er", "es", "n", "s", "t", "et", "st"),
    "en": ("s", "es", "d", "ed", "ing"),
}


def base_forms(word: str, lang: str) -> Iterator[str]:
    """`word` and what it may be inflected from, by stripping one ending."""
    yield word
    for ending in _ENDINGS[lang]:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            yield base
            if lang == "en" and ending in ("ed", "ing"):
                yield base + "e"  # "used" -> "use"
                if base.endswith("i"):
                    yield base[:-1] + "y"  # "identified" -> "identify"


def phrase_languages(phrase: str) -> frozenset[str]:
    """The languages a short phrase (a directory topic) reads as: English when the word
    lists or the dictionary know each of its words in English; German when none of its words
    is English only (a German compound no list holds, "Kühllogistik", stays German)."""
    words = [fold(word) for word in re.findall(r"\w+", phrase) if not word.isdigit()]
    if not words:
        return frozenset()
    german, german_freq = german_words(), word_frequencies("de")
    english_freq, german_of = word_frequencies("en"), english_to_german()
    english_of = german_to_english()

    def in_german(word: str) -> bool:
        return word in german or word in german_freq or stem_kept(word, "de") in english_of

    def in_english(word: str) -> bool:
        return word in english_freq or stem(word, "en") in german_of

    found: set[str] = set()
    if all(in_english(word) for word in words):
        found.add("en")
    if all(in_german(word) or not in_english(word) for word in words):
        found.add("de")
    return frozenset(found)


@cache
def word_frequencies(lang: str) -> dict[str, float]:
    """Folded word -> Zipf frequency (0-8) in general `lang` text, common words only."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return {}
    # Keyed by the package's data file: importing wordfreq alone takes half a second.
    source = Path(spec.origin).parent / "data" / f"large_{lang}.msgpack.gz"
    if not source.exists():
        return {}

    def build() -> dict[str, float]:
        import wordfreq

        table: dict[str, float] = {}
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            zipf = round(wordfreq.freq_to_zipf(freq), 2)
            key = fold(word)
            if zipf >= MIN_ZIPF and key.isalpha() and zipf > table.get(key, 0.0):
                table[key] = zipf
        return table

    table = _cached(f"wordfreq-{lang}", [source], build)
    return table if isinstance(table, dict) else {}


def _as_table(value: object) -> Table:
    return value if isinstance(value, dict) else {}


def check_lines() -> dict[str, str]:
    """One line per resource for `rewimet-bot check`: ok, or missing and how to install it.

    A missing resource is not a failure (the engines run without it), so no line starts
    with FAILED."""
    lines: dict[str, str] = {}
    for res in RESOURCES:
        if res.available:
            lines[f"matching: {res.name}"] = "ok"
        else:
            package = res.package.removeprefix("pypi:")
            how = (
                f"pip install {package}"
                if res.package.startswith("pypi:")
                else (f"apt-get install {package}")
            )
            lines[f"matching: {res.name}"] = f"missing ({res.purpose}; {how})"
    return lines


def load_all() -> dict[str, int]:
    """Read every available resource now; returns how many entries each table holds, 0 for a
    missing one. The engines read fewer by default (`load_used`)."""
    return {
        "OpenThesaurus": len(synonyms_de()),
        "WordNet": len(synonyms_en()),
        "trans-de-en": len(german_to_english()) + len(english_to_german()),
        "wordfreq": len(word_frequencies("de")) + len(word_frequencies("en")),
    }


def knows_no_word(found: Iterable[str]) -> bool:
    """True when none of the words is in the German or English word lists (wordfreq and
    hunspell): keyboard mash ("asdkjh qwe lkjasd"), nothing a person could answer or a member
    could be asked about. False without those lists, which cannot tell."""
    german, english = word_frequencies("de"), word_frequencies("en")
    spelled = german_words()
    if not (german and english):
        return False
    words = [fold(word) for word in found if word.isalpha()]
    return bool(words) and not any(w in german or w in english or w in spelled for w in words)


def load_used() -> dict[str, int]:
    """Read the tables the engines read with their default sources, as a running bot does on
    its first question and request (the thesauri only where a network links through them);
    returns how many entries each holds, 0 for a missing one."""
    from bot.textmatch.links import DEFAULT_SOURCES

    sizes: dict[str, int] = {}
    if "OpenThesaurus" in DEFAULT_SOURCES:
        sizes["OpenThesaurus"] = len(synonyms_de())
    if "WordNet" in DEFAULT_SOURCES:
        sizes["WordNet"] = len(synonyms_en())
    if "trans-de-en" in DEFAULT_SOURCES:
        sizes["trans-de-en"] = len(german_to_english()) + len(english_to_german())
    sizes["wordfreq"] = len(word_frequencies("de")) + len(word_frequencies("en"))
    sizes["hunspell-de"] = len(german_words())  # partner search splits compounds with it
    sizes["compound heads"] = sum(len(table) for table in head_translations())  # partners
    sizes["phrase translations"] = len(english_phrases())  # partners
    sizes["non-nouns"] = len(non_nouns("de")) + len(non_nouns("en"))
    sizes["people"] = len(people_en())  # who a member brings along (events)
    return sizes


def warm() -> None:
    """Build the cached tables the engines read by default (`make` runs this once, so that
    the bot's first question does not wait for the dictionary to be parsed)."""
    import time

    started = time.perf_counter()
    load_used()
    missing = ", ".join(r.name for r in missing_resources()) or "none"
    print(f"matching resources ready in {time.perf_counter() - started:.1f} s (missing: {missing})")
