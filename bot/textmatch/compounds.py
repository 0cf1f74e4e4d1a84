"""German compound splitting against a known vocabulary (dynamic programming)."""

from __future__ import annotations

from collections.abc import Callable

# Linking elements (Fugenelemente) that may sit between two parts: Mitglied-s-beitrag.
LINKERS: tuple[str, ...] = ("", "s", "es", "n", "en", "e", "er")
MIN_PART = 3
MIN_COMPOUND = 7
MAX_COMPOUND = 40


def split_compound(
    token: str,
    is_part: Callable[[str], bool],
    *,
    is_final: Callable[[str], bool] | None = None,
    trailing_linker: bool = False,
    commonness: Callable[[str], float] | None = None,
) -> tuple[str, ...]:
    """Split `token` into the fewest known parts, or return () when it does not split.

    `is_part` says whether a string is a known word (or inflected form of one); `is_final`
    (default `is_part`) judges the last part, which alone carries the inflection. Parts are
    at least MIN_PART characters; a linking element may follow every part but the last,
    and with `trailing_linker` the last one too, read as an inflection ending ("Altmetall-e"),
    which a lexicon of uninflected words needs. Among splits into as few parts, the one
    whose parts are most common in general language wins (`commonness`, e.g. a Zipf
    frequency): "Jahres-ende", not "Jahr-sende", where a linking "s" could start the head;
    and a word more common than each of its parts does not split.
    """
    final = is_part if is_final is None else is_final
    n = len(token)
    if n < MIN_COMPOUND or n > MAX_COMPOUND or not token.isalpha():
        return ()
    common = commonness or (lambda _part: 0.0)
    # best[i] = (number of parts, -commonness of the parts as written, -commonness of the
    # parts, parts) for token[:i]
    best: list[tuple[int, float, float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, 0.0, ())
    for start in range(n):
        current = best[start]
        if current is None:
            continue
        for end in range(start + MIN_PART, n + 1):
            if start == 0 and end == n:
                continue  # the whole word is not a split of itself
            part = token[start:end]
            if not (final(part) if end == n else is_part(part)):
                continue
            for linker in LINKERS:
                stop = end + len(linker)
                if (
                    stop > n
                    or token[end:stop] != linker
                    or (linker and stop == n and not trailing_linker)
                ):
                    continue
                # A last part with its inflection is as common as the word written: "Zapf-
                # stelle", not "Zapf-s-tell-e"; between "Analys-en" and "Analyse-n", the part.
                written = token[start:stop] if stop == n else part
                candidate = (
                    current[0] + 1,
                    current[1] - common(written),
                    current[2] - common(part),
                    (*current[3], part),
                )
                old = best[stop]
                if old is None or candidate[:3] < old[:3]:
                    best[stop] = candidate
    result = best[n]
    if result is None or len(result[3]) < 2:
        return ()
    if commonness is not None and common(token) > max(common(part) for part in result[3]):
        # More common than each of its would-be parts: a word of its own ("erzeugen" is
        # no Erz-eugen, "Station" no Stat-ion); a compound is rarer than its head.
        return ()
    return result[3]
