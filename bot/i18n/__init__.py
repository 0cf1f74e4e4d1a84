"""Translations: one catalogue per language (`de.toml`, `en.toml`), German first.

Values passed to `t` are escaped for the reply markup, unless wrapped in `Markup` because they
already are markup (another translated text, a list the handler built from escaped parts).
An `InLanguages` value (an event's title, entered by the office in German and perhaps English;
an FAQ entry named by its question) is filled in the language of the text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from bot.messages import escape

LANGUAGES = ("de", "en")
_DIR = Path(__file__).parent
# The network's names in texts (`{network}`, `{network_short}`, `{tagline}`): one network per
# process, set by `use_network` when the bot starts; REWIMET's until then.
_NETWORK: dict[str, str] = {"network": "REWIMET e. V.", "network_short": "REWIMET"}
_TAGLINES: dict[str, str] = {
    "de": "dem Recyclingcluster wirtschaftsstrategische Metalle",
    "en": "the recycling cluster for economically strategic metals",
}
_REWIMET_OFFICE = {"de": "Clustergeschäftsstelle", "en": "cluster office"}
_OFFICE: dict[str, str] = dict(_REWIMET_OFFICE)
# Topics the texts give as examples (`{eg_topic}`, `{eg_topics2}`, `{eg_topics3}`): the ones most
# members of this network's directory name, by language (`use_topic_examples`: a German word
# is no example for an English reader); until some are known, the neutral ones of the
# catalogue (`common.neutral_topics`).
_TOPICS: dict[str, list[str]] = {}


class Markup(str):
    """Text that is already safe reply markup."""

    __slots__ = ()


@dataclass(frozen=True)
class InLanguages:
    """A value that reads differently in each language (an FAQ entry named by its first
    question in each): `t` fills in the one of the language it writes in, so that a value
    given before anyone's language is known (an error raised by a feature) still reads right."""

    texts: tuple[tuple[str, str], ...]

    def text_in(self, lang: str) -> str:
        found = dict(self.texts)
        return found.get(lang) or next((text for _lang, text in self.texts if text), "")

    def __str__(self) -> str:
        return self.text_in(LANGUAGES[0])


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    with (_DIR / f"{lang}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def normalise_language(lang: str | None, default: str = "de") -> str:
    if lang:
        short = lang.lower()[:2]
        if short in LANGUAGES:
            return short
    return default


@cache
def _plural_form(lang: str) -> Callable[[float], str]:
    return Locale.parse(lang).plural_form


def _lookup(lang: str, key: str, values: dict[str, object]) -> str | None:
    """The text for `key`; a counted text (a table of plural forms, `one`, `other` …) takes
    the form the language's plural rule gives for the value `count`."""
    texts = catalogue(lang)
    text = texts.get(key)
    if text is not None or f"{key}.other" not in texts:
        return text
    count = values.get("count")
    form = _plural_form(lang)(count) if isinstance(count, int | float) else "other"
    return texts.get(f"{key}.{form}", texts[f"{key}.other"])


def network_names() -> tuple[str, str]:
    """The network's full and short name (`use_network`)."""
    return _NETWORK["network"], _NETWORK["network_short"]


def file_prefix() -> str:
    """How files the bot hands out begin ("rewimet-event-3.ics"): the short name in lower
    case, its words joined by "-", in ASCII letters and digits (a file name goes in a
    download's header, and every system reads those)."""
    ascii_name = unicodedata.normalize("NFKD", _NETWORK["network_short"]).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_name.decode().lower())
    return "-".join(words) or "network"


def use_network(
    name: str, short_name: str, taglines: dict[str, str], office: dict[str, str] | None = None
) -> None:
    """Name this network (and its office: None is REWIMET's) in every text from now on
    (another network runs the same bot); its topic examples are not known yet."""
    _NETWORK.update(network=name, network_short=short_name)
    _TAGLINES.clear()
    _TAGLINES.update(taglines)
    _OFFICE.clear()
    _OFFICE.update(office or _REWIMET_OFFICE)
    _TOPICS.clear()


def use_topic_examples(topics: dict[str, list[str]]) -> None:
    """Give these topics (the network's own, most named first) as examples from now on,
    each language its own (a language without any: the catalogue's neutral ones)."""
    _TOPICS.clear()
    _TOPICS.update(topics)


def _names(lang: str, text: str) -> dict[str, object]:
    """The values a text names the network by: its names, tagline, office, topic examples."""
    values: dict[str, object] = {}
    if "{network" in text or "{tagline}" in text:
        tagline = _TAGLINES.get(lang, "")
        values.update(_NETWORK, tagline=f", {tagline}" if tagline else "")
    if "{office_name}" in text:
        values["office_name"] = _OFFICE.get(lang) or next(iter(_OFFICE.values()), "")
    if "{eg_topic" in text:
        # the network's own first, made up to three by the neutral ones ("e.g.: Second Hand"
        # alone had read like the only topic there is)
        neutral = [part.strip() for part in catalogue(lang)["common.neutral_topics"].split(";")]
        own = _TOPICS.get(lang, [])
        topics = [*own, *(topic for topic in neutral if topic not in own)]
        values.update(
            eg_topic=topics[0], eg_topics2="; ".join(topics[:2]), eg_topics3="; ".join(topics[:3])
        )
    return values


def t(lang: str, key: str, **values: object) -> Markup:
    """The text for `key` in `lang` (falling back to the other language), values escaped."""
    lang = normalise_language(lang)
    text = _lookup(lang, key, values)
    if text is None:
        found = (_lookup(other, key, values) for other in LANGUAGES if other != lang)
        text = next((found_text for found_text in found if found_text is not None), key)
    if "{network" in text or "{tagline}" in text or "{office_name}" in text or "{eg_topic" in text:
        values = {**_names(lang, text), **values}
    values = {
        name: value.text_in(lang) if isinstance(value, InLanguages) else value
        for name, value in values.items()
    }
    safe = {
        name: value if isinstance(value, Markup) else escape(str(value))
        for name, value in values.items()
    }
    return Markup(text.format(**safe) if safe else text)


def size_text(size: int, lang: str) -> str:
    """A file size as people read it: `120 KB`, `1,2 MB` (German) or `1.2 MB`."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.0f}" if megabytes >= 10 or megabytes.is_integer() else f"{megabytes:.1f}"
    if normalise_language(lang) == "de":
        text = text.replace(".", ",")
    return f"{text} MB"
