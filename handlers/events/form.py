"""The event form: the one-line `key=value; ...` form and the draft the guided conversation fills.

`/newevent art=exkursion; titel=Exkursion Goslar; beginn=12.03.2027 9:30; plätze=30; ...`
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.flows import POLITE_TAILS, is_plain_no, is_skip_word
from bot.i18n import LANGUAGES, InLanguages, t
from bot.textmatch.normalize import MARKUP_TAG
from handlers.events.dates import parse_end, parse_when, show_time, show_when
from handlers.events.number_words import number_of
from handlers.members.rules import FORMULA_SIGNS
from storage.event_store import as_utc
from storage.events import Event

KINDS = ("symposium", "forum", "excursion", "workshop", "other")
_KIND_WORDS = {
    "symposium": "symposium",
    "symposion": "symposium",
    "forum": "forum",
    "innovationsforum": "forum",
    "innovation_forum": "forum",
    "innovationforum": "forum",
    "excursion": "excursion",
    "exkursion": "excursion",
    "trip": "excursion",
    "workshop": "workshop",
    "other": "other",
    "sonstiges": "other",
    "andere": "other",
    # everyday words for the same kinds, so that another network's office is understood
    # ("tagung" had been refused): OpenThesaurus "Tagung;Konferenz;Symposium;Kongress",
    # "Besichtigung", "Seminar;Kurs;Schulung"; trans-de-en for the English
    "tagung": "symposium",
    "fachtagung": "symposium",
    "konferenz": "symposium",
    "kongress": "symposium",
    "conference": "symposium",
    "congress": "symposium",
    "besichtigung": "excursion",
    "werksbesichtigung": "excursion",
    "site_visit": "excursion",
    "visit": "excursion",
    "seminar": "workshop",
    "schulung": "workshop",
    "kurs": "workshop",
    "webinar": "workshop",
    "training": "workshop",
    "course": "workshop",
    "treffen": "other",
    "stammtisch": "other",
    "meeting": "other",
    "meetup": "other",
}
# The form's fields as a form shows them (the dashboard's boxes), in the one-line form's order.
FIELDS = (
    "kind",
    "title",
    "title_en",
    "start",
    "end",
    "place",
    "place_en",
    "capacity",
    "deadline",
    "audience",
    "description",
    "description_en",
    "offer",
    "reminders",
)
_KEYS = {
    "kind": "kind",
    "art": "kind",
    "title": "title",
    "titel": "title",
    # What English-speaking members read instead (optional; the German one where empty).
    "title_en": "title_en",
    "titel_en": "title_en",
    "english_title": "title_en",
    "englischer_titel": "title_en",
    "start": "start",
    "beginn": "start",
    "begin": "start",
    "end": "end",
    "ende": "end",
    "place": "place",
    "ort": "place",
    # Where English-speaking members read it is (optional; the German place where empty).
    "place_en": "place_en",
    "ort_en": "place_en",
    "english_place": "place_en",
    "englischer_ort": "place_en",
    "capacity": "capacity",
    "plätze": "capacity",
    "plaetze": "capacity",
    "places": "capacity",
    "deadline": "deadline",
    "anmeldeschluss": "deadline",
    "audience": "audience",
    "zielgruppe": "audience",
    "description": "description",
    "beschreibung": "description",
    "description_en": "description_en",
    "beschreibung_en": "description_en",
    "english_description": "description_en",
    "englische_beschreibung": "description_en",
    "offer": "offer",
    "angebot": "offer",
    "announce": "announce",
    "ankündigung": "announce",
    "ankuendigung": "announce",
    "reminders": "reminders",
    "erinnerungen": "reminders",
    # Recurring meetings (handlers/events/series.py).
    "wiederholung": "repeat",
    "repeat": "repeat",
    "bis": "until",
    "until": "until",
    "anzahl": "count",
    "count": "count",
}
_NONE = {"", "-", "keine", "kein", "none", "no", "nein", "unbegrenzt", "unlimited"}
_PAIR = re.compile(r"^\s*([\wäöüÄÖÜ]+)\s*[=:]\s*(.*?)\s*$", re.DOTALL)
# Fields whose value is free text, where "x=y" may be part of it.
_PROSE = frozenset({"description", "description_en"})
# A field name with "=" inside a value: the next field, written without a ";" before it.
_NEXT_FIELD = re.compile(r"\s([\wäöüÄÖÜ]+)\s*=")
MAX_TITLE = 200
MAX_PLACE = 200
MAX_DESCRIPTION = 2000


@dataclass
class Draft:
    """An event as entered; times are aware UTC datetimes."""

    kind: str = ""
    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    place: str = ""
    capacity: int | None = None
    deadline: datetime | None = None
    audience: str = "all"
    description: str = ""
    # The English title and description ("": English-speaking members read the German ones).
    title_en: str = ""
    description_en: str = ""
    place_en: str = ""
    offer_hours: int | None = None
    announce: str = "now"  # now, no, or an ISO datetime (UTC)
    reminder_hours: list[int] = field(default_factory=list)
    # A recurring meeting: the rule (recurrence.Rule.to_text), its last date (ISO) or count.
    repeat: str = ""
    until: str = ""
    count: int | None = None

    def event_fields(self) -> dict[str, object]:
        """The columns of an event this draft describes (for creating, editing, previewing)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "title_en": self.title_en,
            "description_en": self.description_en,
            "place": self.place,
            "place_en": self.place_en,
            "starts_at": self.start,
            "ends_at": self.end,
            "capacity": self.capacity,
            "deadline": self.deadline,
            "audience": self.audience,
        }

    def to_data(self) -> dict[str, object]:
        data = asdict(self)
        for key in ("start", "end", "deadline"):
            value = data[key]
            data[key] = value.isoformat() if isinstance(value, datetime) else None
        return data

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Draft:
        draft = cls()
        for key, value in data.items():
            if not hasattr(draft, key):
                continue
            if key in ("start", "end", "deadline"):
                value = datetime.fromisoformat(str(value)) if value else None
            setattr(draft, key, value)
        return draft


def parse_kind(text: str) -> str:
    kind = _KIND_WORDS.get(text.strip().casefold().replace(" ", "_"))
    if kind is None:
        raise UserError("events.bad_kind", given=text[:40])
    return kind


_ALL_WORDS = frozenset({"all", "alle", "everyone", "jeder", "alle mitglieder", "all members"})
_YP_WORDS = frozenset(
    {"yp", "youngpro", "young pros", "young professional", "young professionals"}
    | {"young_professionals", "nachwuchs"}
)
# "thema:Gallium", and as the refusal names them, "Thema Batterierecycling", "topic battery".
_TOPIC = re.compile(r"(?:topic|thema)\s*:\s*(\S.*)|(?:topic|thema)\s+([^:\s].*)", re.I | re.S)


def parse_audience(text: str) -> str:
    """`all`, `yp` or `topic:…`, in codes or in the words the refusal lists them by ("Alle
    Mitglieder", "Young Professionals", "Thema Batterierecycling")."""
    value = text.strip()
    folded = " ".join(value.casefold().split())
    if folded in _ALL_WORDS:
        return "all"
    if folded in _YP_WORDS:
        return "yp"
    if topic := _TOPIC.fullmatch(value):
        return "topic:" + " ".join((topic.group(1) or topic.group(2)).split())[:100]
    raise UserError("events.bad_audience", given=value[:40])


# What a number of places is typed with ("30 Plätze", "dreißig Plätze", "25 places").
_PLACES_WORD = re.compile(
    r"\s+(?:plätze|plaetze|platz|places|place|seats|seat|personen|people)\.?$"
)


def parse_capacity(text: str) -> int | None:
    """A number of places as the chat's form and the dashboard's box take it: digits or a
    number word, with "Plätze"/"places" after it or not; "-" (or empty) for no limit."""
    value = text.strip().casefold()
    if value in _NONE:
        return None
    value = _digits(_PLACES_WORD.sub("", value))
    if not value.isdecimal() or not 1 <= int(value) <= 100_000:
        raise UserError("events.bad_capacity", given=text[:20])
    return int(value)


def _digits(value: str) -> str:
    """A number typed as a word ("zwanzig", "twenty") as its digits; else `value` as typed."""
    number = number_of(value)
    return value if number is None else str(number)


def parse_hours(text: str) -> int | None:
    value = text.strip().casefold().removesuffix("h").strip()
    if value in _NONE:
        return None
    value = _digits(value)
    if not value.isdecimal() or not 1 <= int(value) <= 24 * 14:
        raise UserError("events.bad_offer", given=text[:20])
    return int(value)


def parse_reminders(text: str) -> list[int]:
    """`7d, 1d, 2h` -> [168, 24, 2] (hours before the start)."""
    hours: list[int] = []
    for part in re.split(r"[,\s]+", text.strip().casefold()):
        if part in _NONE:
            continue
        match = re.fullmatch(r"(\d{1,3})([dht]?)", part)
        if match is None:
            raise UserError("events.bad_reminders", given=text[:40])
        number = int(match.group(1))
        value = number * 24 if match.group(2) in ("d", "t") else number
        if not 1 <= value <= 24 * 60:
            raise UserError("events.bad_reminders", given=text[:40])
        hours.append(value)
    return sorted(set(hours), reverse=True)


def optional_text(text: str, limit: int, field: str) -> str:
    """A text field (`field`: title, place, description, reason: named when too long)."""
    value = " ".join(text.split()) if limit <= MAX_PLACE else text.strip()
    if value.casefold() in _NONE:
        return ""
    if len(value) > limit:
        raise UserError(f"events.{field}_too_long", limit=limit)
    return value


def _title(value: str) -> str:
    """A title members can read: words, not only emoji or signs ("🔋🔋" names nothing), and
    plain text, as an organisation or role is (`members.rules.parse_name`)."""
    title = optional_text(value, MAX_TITLE, "title")
    if not title:
        return title
    tag = MARKUP_TAG.search(title)
    if tag is not None:
        raise UserError("events.title_markup", tag=tag.group(0)[:40])
    # Refused, not made safe: the title reaches members in chats, calendars and the feed,
    # where a quote put before it would be read; a title starting with "=" or "+" is a slip
    # the office mends in a second when told, and the rosters it exports stay plain.
    if title.startswith(FORMULA_SIGNS):
        raise UserError("events.title_formula", sign=title[0])
    if not any(ch.isalnum() for ch in title):
        raise UserError("events.title_no_words")
    return title


# "Jetzt ankündigen, später oder gar nicht?" answered no in words: a plain no with words as
# "erstmal", "noch", "bitte" ("nein, erstmal nicht"), or its button's words ("nicht
# ankündigen", "do not announce", "gar nicht", "not yet"). "jetzt"/"now" are none of them:
# "nicht jetzt" may mean later, which needs a date.
_NOT_ANNOUNCED_NEGATIONS = frozenset({"nicht", "not", "don", "dont", "never", "nie"})
_NOT_ANNOUNCED_TAIL = _NOT_ANNOUNCED_NEGATIONS | {
    "erstmal", "erst", "mal", "noch", "vorerst", "gar", "ankündigen", "ankuendigen",
    "bekanntgeben", "bitte", "do", "t", "announce", "it", "yet", "at", "all", "please",
}  # fmt: skip


def not_announced(text: str) -> bool:
    """A typed answer that the new event is not announced (its button "Nicht ankündigen")."""
    if is_plain_no(text, _NOT_ANNOUNCED_TAIL):
        return True
    words = re.findall(r"[^\W_]+", text.casefold())
    return (
        "?" not in text
        and bool(_NOT_ANNOUNCED_NEGATIONS & set(words))
        and set(words) <= _NOT_ANNOUNCED_TAIL | POLITE_TAILS
    )


def apply_field(
    draft: Draft, key: str, value: str, *, tz: ZoneInfo, now: datetime | None = None
) -> None:
    """Set one field of the draft from typed text.

    `now`: the network's clock, for days in words ("morgen 14 Uhr"); refused without it."""
    if key == "kind":
        draft.kind = parse_kind(value)
    elif key == "title":
        draft.title = _title(value)
    elif key == "title_en":
        draft.title_en = _title(value)
    elif key == "start":
        # A time alone ("beginn=15 Uhr") moves a start there is to that time of its day.
        day = draft.start.astimezone(tz).date() if draft.start is not None else None
        draft.start = parse_when(value, tz=tz, now=now, day=day)
    elif key == "end":
        # "17:00" alone ends on the start's day; "3 Stunden" after the start.
        empty = value.strip().casefold() in _NONE
        draft.end = None if empty else parse_end(value, tz=tz, start=draft.start, now=now)
    elif key == "place":
        draft.place = optional_text(value, MAX_PLACE, "place")
    elif key == "place_en":
        draft.place_en = optional_text(value, MAX_PLACE, "place")
    elif key == "capacity":
        draft.capacity = parse_capacity(value)
    elif key == "deadline":
        empty = value.strip().casefold() in _NONE
        last = time(23, 59)
        draft.deadline = None if empty else parse_when(value, tz=tz, now=now, default_time=last)
    elif key == "audience":
        draft.audience = parse_audience(value)
    elif key == "description":
        draft.description = optional_text(value, MAX_DESCRIPTION, "description")
    elif key == "description_en":
        draft.description_en = optional_text(value, MAX_DESCRIPTION, "description")
    elif key == "offer":
        draft.offer_hours = parse_hours(value)
    elif key == "reminders":
        draft.reminder_hours = parse_reminders(value)
    elif key in ("repeat", "until", "count"):
        _apply_repeat(draft, key, value, tz=tz, now=now)
    elif key == "announce":
        word = value.strip().casefold()
        if word in ("now", "jetzt", "sofort", "ja", "yes"):
            draft.announce = "now"
        elif word in _NONE or not_announced(value) or is_skip_word(value):
            draft.announce = "no"
        else:
            draft.announce = parse_when(value, tz=tz, now=now).isoformat()


def _apply_repeat(
    draft: Draft, key: str, value: str, *, tz: ZoneInfo, now: datetime | None
) -> None:
    """`wiederholung=…`, `bis=…`, `anzahl=…`; the guided step takes all three in one answer."""
    from handlers.events import recurrence

    if value.strip().casefold() in _NONE:
        if key == "repeat":
            draft.repeat, draft.until, draft.count = "", "", None
        elif key == "until":
            draft.until = ""
        else:
            draft.count = None
    elif key == "repeat":
        typed = recurrence.parse_repeat(value, tz=tz, now=now)
        draft.repeat = typed.rule.to_text()
        if typed.until is not None:
            draft.until = typed.until.isoformat()
        if typed.count is not None:
            draft.count = typed.count
    elif key == "until":
        draft.until = recurrence.parse_until(value, tz=tz, now=now).isoformat()
    else:
        draft.count = recurrence.parse_count(value)


# The one-line form's keys and kinds as a German admin types them (English ones are the
# canonical names).
_GERMAN_KEYS = {
    "kind": "art",
    "title": "titel",
    "title_en": "titel_en",
    "start": "beginn",
    "end": "ende",
    "place": "ort",
    "place_en": "ort_en",
    "capacity": "plätze",
    "deadline": "anmeldeschluss",
    "audience": "zielgruppe",
    "offer": "angebot",
    "reminders": "erinnerungen",
}
_GERMAN_KINDS = {"excursion": "exkursion", "other": "sonstiges"}
_TYPED_MOMENT = {"de": "%d.%m.%Y %H:%M", "en": "%Y-%m-%d %H:%M"}


def typed_start(lang: str, event: Event, *, tz: ZoneInfo) -> str:
    """ "beginn=19.01.2027 09:00": the event's start as its form field, to copy and change."""
    return f"{start_field(lang)}={as_utc(event.starts_at).astimezone(tz):{_TYPED_MOMENT[lang]}}"


def start_field(lang: str) -> str:
    """The start's field name as `lang`'s admins type it ("beginn", "start")."""
    return field_name(lang, "start")


def field_name(lang: str, key: str) -> str:
    """A field's name as `lang`'s admins type it ("plätze", "capacity")."""
    return _GERMAN_KEYS.get(key, key) if lang == "de" else key


def form_line(lang: str, event: Event, *, tz: ZoneInfo) -> str:
    """An event as the one-line form that would make it (the descriptions left out, the
    English title and place only where there are ones): what `/editevent N` alone shows, to copy and
    change."""
    german = lang == "de"

    def moment(value: datetime | None) -> str:
        return "-" if value is None else f"{as_utc(value).astimezone(tz):{_TYPED_MOMENT[lang]}}"

    audience = event.audience
    if german:
        audience = {"all": "alle"}.get(audience, audience.replace("topic:", "thema:", 1))
    values = {
        "kind": _GERMAN_KINDS.get(event.kind, event.kind) if german else event.kind,
        "title": event.title,
        **({"title_en": event.title_en} if event.title_en else {}),
        "start": moment(event.starts_at),
        "end": moment(event.ends_at),
        "place": event.place or "-",
        **({"place_en": event.place_en} if event.place_en else {}),
        "capacity": str(event.capacity) if event.capacity is not None else "-",
        "deadline": moment(event.deadline),
        "audience": audience,
        "offer": str(event.offer_hours) if event.offer_hours else "-",
        "reminders": ", ".join(
            f"{h // 24}d" if h % 24 == 0 else f"{h}h" for h in event.reminder_hours
        )
        or "-",
    }
    keys = _GERMAN_KEYS if german else {}
    return "; ".join(f"{keys.get(key, key)}={value}" for key, value in values.items())


# Where a form starts after the words naming an event: the first "name=" (any name: a
# mistyped one is refused by `parse_form`, naming the fields) or a field's "name:".
_FORM_START = re.compile(r"(?<!\S)([\wäöüÄÖÜ]+)\s*([=:])")


def split_reference(text: str) -> tuple[str, str]:
    """ "Workshop beginn=15 Uhr" -> ("Workshop", "beginn=15 Uhr"): the event as named (its
    number or words of it, as `/teilnehmer` takes them) and the form after it ("" for none).
    A number first is the event, whatever follows ("3 ort=Halle")."""
    words = text.strip()
    first, _space, rest = words.partition(" ")
    if re.fullmatch(r"#?\d{1,12}", first):
        return first, rest.strip()
    for match in _FORM_START.finditer(words):
        if match.group(2) == "=" or match.group(1).casefold() in _KEYS:
            return words[: match.start()].strip(), words[match.start() :].strip()
    return words, ""


def parse_form(text: str) -> dict[str, str]:
    """`a=1; b=2` -> {"a": "1", "b": "2"} with canonical keys; unknown keys are refused."""
    fields: dict[str, str] = {}
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        match = _PAIR.match(chunk)
        if match is None:
            raise UserError("events.bad_form", given=chunk.strip()[:60])
        key = _KEYS.get(match.group(1).casefold())
        if key is None:
            raise UserError("events.unknown_field", given=match.group(1)[:30], fields=_names())
        value = match.group(2)
        _refuse_field_inside(value, chunk, prose=key in _PROSE)
        fields[key] = value
    # The start first: an end typed as a time alone ("ende=17:00") is on the start's day.
    return dict(sorted(fields.items(), key=lambda item: item[0] != "start"))


def _refuse_field_inside(value: str, chunk: str, *, prose: bool) -> None:
    """A `name=` inside a value is a field written without the ";" before it ("art=workshop
    titel=…"), never part of the value: said so, and a name no field has is named with the
    ones there are (it had been taken into the title). In a description (`prose`) only a
    field's name counts: its text may say "bei pH=7"."""
    names = _NEXT_FIELD.findall(value)
    given = chunk.strip()[:60]
    unknown = [name for name in names if name.casefold() not in _KEYS]
    if unknown and not prose:
        raise UserError(
            "events.unknown_field_apart", given=given, name=unknown[0][:30], fields=_names()
        )
    if len(unknown) < len(names):
        raise UserError("events.fields_apart", given=given)


def _names() -> InLanguages:
    """The form's field names, as each language's admins type them."""
    return InLanguages(tuple((lang, t(lang, "events.field_names")) for lang in LANGUAGES))


def draft_from_form(text: str, *, tz: ZoneInfo, now: datetime | None = None) -> Draft:
    draft = Draft()
    for key, value in parse_form(text).items():
        apply_field(draft, key, value, tz=tz, now=now)
    return draft


# What is wrong with a form, by the form's field ("capacity", "start", "announce"), in the
# order the chat names them. The dashboard shows every one beside its box at once; the chat's
# one-line form, answered in one line, raises the first (`raise_first`).
Problems = dict[str, UserError]


def raise_first(problems: Problems) -> None:
    for error in problems.values():
        raise error


def fill_fields(
    draft: Draft, fields: Mapping[str, str], *, tz: ZoneInfo, now: datetime | None = None
) -> Problems:
    """Set every field that reads right; each one that does not is named, not set."""
    problems: Problems = {}
    for key, value in fields.items():
        try:
            apply_field(draft, key, value, tz=tz, now=now)
        except UserError as error:
            problems[key] = error
    return problems


def draft_problems(draft: Draft, *, now: datetime, tz: ZoneInfo) -> Problems:
    """Everything an event needs, and no event in the past, as `check_draft` checks it."""
    problems: Problems = {}
    if not draft.kind:
        problems["kind"] = UserError("events.missing_kind")
    if not draft.title:
        problems["title"] = UserError("events.missing_title")
    if draft.start is None:
        problems["start"] = UserError("events.missing_start")
        return problems
    problems.update(time_problems(draft.start, draft.end, draft.deadline, now=now, tz=tz))
    if draft.announce not in ("now", "no"):
        announce_at = datetime.fromisoformat(draft.announce)
        if announce_at <= now or announce_at >= draft.start:
            problems["announce"] = UserError("events.bad_announce_time")
    return problems


def check_draft(draft: Draft, *, now: datetime, tz: ZoneInfo) -> None:
    """Everything an event needs, and no event in the past."""
    raise_first(draft_problems(draft, now=now, tz=tz))


def new_event_problems(
    fields: Mapping[str, str], *, tz: ZoneInfo, now: datetime
) -> tuple[Draft, Problems]:
    """A new event's draft from the form's fields and every problem of it, each field's own
    (a capacity of -5) before what follows from it (an end before the start)."""
    draft = Draft()
    problems = fill_fields(draft, fields, tz=tz, now=now)
    for key, error in draft_problems(draft, now=now, tz=tz).items():
        problems.setdefault(key, error)
    return draft, problems


def time_problems(
    start: datetime,
    end: datetime | None,
    deadline: datetime | None,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> Problems:
    problems: Problems = {}
    if start <= now:
        problems["start"] = UserError("events.in_past")
    if end is not None and end <= start:
        problems["end"] = _end_not_after(start, end, tz)
    if deadline is not None and (deadline > start or deadline <= now):
        problems["deadline"] = UserError("events.bad_deadline")
    return problems


def _end_not_after(start: datetime, end: datetime, tz: ZoneInfo) -> UserError:
    """The refusal of an end at or before the start, naming both as they were read: "bis
    halb fünf" after 18:00 is "Das Ende 16:30 Uhr liegt vor dem Beginn 18:00 Uhr" (it had
    said only that the end must be after the start, and the office could not see why). On
    the start's day the times say it; on another day the days too."""
    same_day = start.astimezone(tz).date() == end.astimezone(tz).date()
    show = show_time if same_day else show_when

    def shown(moment: datetime) -> InLanguages:
        return InLanguages(tuple((lang, show(moment, lang=lang, tz=tz)) for lang in LANGUAGES))

    key = "events.end_at_start" if end == start else "events.end_before_start"
    return UserError(key, end=shown(end), start=shown(start))


def check_times(
    start: datetime,
    end: datetime | None,
    deadline: datetime | None,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    raise_first(time_problems(start, end, deadline, now=now, tz=tz))
