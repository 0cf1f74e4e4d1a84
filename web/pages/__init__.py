"""One module per dashboard page; each has `register(app)` and its `NAV` entry (or None)."""

from typing import Protocol

from aiohttp import web

from web.pages import (
    audit,
    broadcasts,
    events,
    faq,
    inbox,
    members,
    overview,
    partners,
    series,
)


class Page(Protocol):
    # (key, path, catalogue key of the label) in the navigation, or None for no entry.
    NAV: tuple[str, str, str] | None

    def register(self, app: web.Application) -> None: ...


# In the order of the navigation.
PAGES: tuple[Page, ...] = (
    overview,
    inbox,
    faq,
    events,
    series,
    broadcasts,
    members,
    partners,
    audit,
)
