"""German morphology the stemmer leaves alone: split verbs, participles, zu-infinitives,
feminine person nouns."""

from __future__ import annotations

from collections.abc import Callable

# Separable verb particles: "Wie melde ich mich ab?" means "abmelden".
PARTICLES: tuple[str, ...] = (
    "zurueck", "zusammen", "heraus", "hinaus", "herein", "vorbei", "weiter", "dabei", "raus",
    "rein", "fest", "auf", "aus", "ein", "mit", "vor", "nach", "weg", "los", "her", "hin", "um",
    "an", "ab", "zu", "bei", "durch", "statt",
)  # fmt: skip
_PARTICLE_SET = frozenset(PARTICLES)
# Articles and pronouns are never the verb a particle belongs to ("mit" + "der").
_NOT_VERBS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "ich",
        "du",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "mich",
        "mir",
        "dich",
        "dir",
        "uns",
        "euch",
        "sich",
        "ihn",
        "ihm",
        "ihnen",
        "man",
    ]
)
# Inflection endings of present tense, past tense and participles, longest first.
_VERB_ENDINGS: tuple[str, ...] = ("test", "tet", "ten", "est", "st", "te", "et", "t")


def is_particle(token: str) -> bool:
    """True for a separable verb particle."""
    return token in _PARTICLE_SET


# Words that join two main clauses, each of which may end in its own particle.
_JOINING = frozenset({"und", "oder", "aber", "sondern", "denn"})


def join_particle(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    """Join a clause-final particle to its verb when the joined word is known, in each main
    clause of `tokens` ("wo findet es statt und wie komme ich hin": both halves).

    "ich melde mich von der exkursion ab" -> "ich abmelde mich von der exkursion".
    """
    joined: list[str] = []
    start = 0
    for index, token in enumerate(tokens):
        if token in _JOINING and index > start:
            joined += [*_join_last(tokens[start:index], known), token]
            start = index + 1
    return joined + _join_last(tokens[start:], known)


def _join_last(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    if len(tokens) < 2 or not is_particle(tokens[-1]):
        return tokens
    particle = tokens[-1]
    for index, token in enumerate(tokens[:-1]):
        if (
            token.isalpha()
            and len(token) >= 3
            and token not in _NOT_VERBS
            and known(particle + token)
        ):
            return [*tokens[:index], particle + token, *tokens[index + 1 : -1]]
    return tokens


# Spoken German as members type it: the article without its "ei" ("ne Frage"), a pronoun
# fused to its verb ("gibts", "kannste"), "denn" to its question word ("wasn"), the auxiliary
# without its ending ("wie werd ich Mitglied?"). Grammar, the same for any network (Duden:
# "Umgangssprache"), folded as tokens are; forms that are words of their own in English ("hats",
# "haste", "is") or in written German ("musste") are left.
_SPOKEN: dict[str, tuple[str, ...]] = {
    "ne": ("eine",), "nen": ("einen",), "nem": ("einem",), "ner": ("einer",),
    "gibts": ("gibt", "es"), "gehts": ("geht", "es"), "ists": ("ist", "es"),
    "isses": ("ist", "es"), "wirds": ("wird", "es"), "kanns": ("kann", "es"),
    "kannste": ("kannst", "du"), "biste": ("bist", "du"), "willste": ("willst", "du"),
    "weisste": ("weisst", "du"), "wasn": ("was", "denn"), "dasn": ("das", "denn"),
    "sowas": ("so", "etwas"), "nix": ("nichts",), "nich": ("nicht",), "werd": ("werde",),
}  # fmt: skip


def spoken_forms_spelt_out(tokens: list[str]) -> list[str]:
    """Folded tokens with German spoken contractions written out ("gibts ne" -> "gibt es
    eine"): the knowledge base writes them out, and a fused form is no word of it."""
    if not any(token in _SPOKEN for token in tokens):
        return tokens
    return [word for token in tokens for word in _SPOKEN.get(token, (token,))]


def lemma_variants(token: str) -> list[str]:
    """Forms to try when a German word is unknown as written, most specific first.

    Covers "angemeldet" -> "anmeldet"/"anmeld", "aufzubereiten" -> "aufbereiten",
    "gemeldet" -> "meldet", "zahlt" -> "zahl"; callers add infinitive endings.
    """
    bases = [token]
    for particle in PARTICLES:
        rest = token[len(particle) :]
        if token.startswith(particle) and len(rest) >= 4 and rest[:2] in ("ge", "zu"):
            bases.append(particle + rest[2:])
    if token.startswith("ge") and len(token) >= 6:
        bases.append(token[2:])
    # Feminine and plural person nouns: "Ingenieurinnen" -> "Ingenieur".
    for suffix in ("innen", "in"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 5:
            bases.append(token[: -len(suffix)])
    variants: list[str] = []
    for base in bases:
        if base != token:
            variants.append(base)
        for ending in _VERB_ENDINGS:
            if base.endswith(ending) and len(base) - len(ending) >= 3:
                variants.append(base[: -len(ending)])
    return variants


def derived_forms(word: str) -> list[str]:
    """The verb of an "-ung" noun and the "-ung" noun of a verb, as written ("prüfung" ->
    "prüfen", "lieferung" -> "liefern"; "prüfen" -> "prüfung", "liefern" -> "lieferung"): the
    same action named as a thing or done. Callers keep only forms their vocabulary has."""
    if word.endswith("ung") and len(word) >= 7:
        base = word[:-3]
        return [base + "n"] if base.endswith(("er", "el")) else [base + "en"]
    if word.endswith(("ern", "eln")) and len(word) >= 6:
        return [word[:-1] + "ung"]
    if word.endswith("en") and len(word) >= 6:
        return [word[:-2] + "ung"]
    return []
