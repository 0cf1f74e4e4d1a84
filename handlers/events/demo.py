"""Fictional upcoming events for the console demo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.events import schedule
from handlers.events.effects import Effects
from storage import event_store
from storage.db import Database

BERLIN = ZoneInfo("Europe/Berlin")


def _at(now: datetime, days: int, hour: int) -> datetime:
    """About `days` from now, on the Tuesday to Thursday nearest after it (events of a
    network are on working days), at `hour` o'clock Berlin time, in UTC."""
    day = (now.astimezone(BERLIN) + timedelta(days=days)).date()
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC)


async def seed_events(db: Database, *, now: datetime | None = None) -> None:
    """A symposium, an innovation forum and a young professionals' excursion with capacity,
    each with its English title, description and place for `demo --lang en`."""
    now = now or datetime.now(UTC)
    events = [
        {
            "kind": "symposium",
            "title": "REWIMET-Symposium: Kreislaufwirtschaft strategischer Metalle",
            "place": "Aula der Technischen Universität, Clausthal-Zellerfeld",
            "place_en": "Great Hall of the Technical University, Clausthal-Zellerfeld",
            "starts_at": _at(now, 45, 9),
            "ends_at": _at(now, 45, 9) + timedelta(days=1, hours=6),
            "capacity": 180,
            "description": "Zwei Tage Vorträge, Poster und Gespräche zu Batterie-, Elektronik- "
            "und Katalysatorrecycling. Teilnahmegebühr 180 €, für Mitglieder 120 €, "
            "Studierende frei (Demo-Veranstaltung).",
            "title_en": "REWIMET Symposium: Circular Economy of Strategic Metals",
            "description_en": "Two days of talks, posters and conversations on battery, "
            "electronics and catalyst recycling. Fee €180, members €120, students free "
            "(demo event).",
        },
        {
            "kind": "forum",
            "title": "Innovationsforum Recyclingregion Harz",
            "place": "Kulturhaus, Goslar",
            "starts_at": _at(now, 80, 9),
            "ends_at": _at(now, 80, 17),
            "capacity": None,
            "description": "Projektideen, Partnersuche und Förderprogramme; für Mitglieder "
            "kostenfrei (Demo-Veranstaltung).",
            "title_en": "Innovation Forum Harz Recycling Region",
            "description_en": "Project ideas, partner search and funding programmes; free of "
            "charge for members (demo event).",
        },
        {
            "kind": "excursion",
            "title": "Exkursion für Young Professionals: Aufbereitungsanlage Harzmetall",
            "place": "Werkstor der (fiktiven) Harzmetall GmbH, Langelsheim",
            "place_en": "Main gate of the (fictional) Harzmetall GmbH, Langelsheim",
            "starts_at": _at(now, 20, 8),
            "ends_at": _at(now, 20, 16),
            "capacity": 12,
            "deadline": _at(now, 14, 22),
            "audience": "yp",
            "offer_hours": 24,
            "description": "Werksführung, Labor und gemeinsames Mittagessen; Bus ab Clausthal. "
            "Kostenfrei.",
            "title_en": "Young Professionals' Excursion: Harzmetall Processing Plant",
            "description_en": "Plant tour, laboratory and lunch together; bus from Clausthal. "
            "Free of charge.",
        },
    ]
    effects = Effects()  # jobs are armed by the scheduler's rebuild at start
    async with db.session() as session:
        for fields in events:
            event = await event_store.create_event(session, reminder_hours=[168, 24], **fields)
            await schedule.plan_reminders(session, event, now=now, tz=BERLIN, effects=effects)
