"""All tables, imported in one place so Alembic and the tests see the whole schema."""

from storage import broadcasts, models

metadata = models.Base.metadata

__all__ = ["broadcasts", "metadata"]
