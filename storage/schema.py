"""All tables, imported in one place so Alembic and the tests see the whole schema."""

from storage import broadcasts as _broadcasts  # noqa: F401 - registers the broadcast tables
from storage import calendar_feeds as _calendar_feeds  # noqa: F401 - the members' calendar feeds
from storage import chat_routes as _chat_routes  # noqa: F401 - registers the chat routes
from storage import events as _events  # noqa: F401 - registers the event tables
from storage import files as _files  # noqa: F401 - registers the stored files table
from storage import models
from storage import partners as _partners  # noqa: F401 - registers the partner tables
from storage import series as _series  # noqa: F401 - registers the recurring meetings
from storage import web_sessions as _web_sessions  # noqa: F401 - registers the dashboard's sessions

metadata = models.Base.metadata

__all__ = ["metadata"]

from storage import faq as _faq  # noqa: E402, F401 - registers the FAQ tables
from storage import faq_dismissed as _faq_dismissed  # noqa: E402, F401 - dismissed suggestions
from storage import faq_learned as _faq_learned  # noqa: E402, F401 - learned phrasings
