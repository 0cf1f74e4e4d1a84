"""How a changed profile field is confirmed: in one line, naming the field and its value
("Gespeichert – Sprache: Deutsch"), whether a command or the profile's question set it."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Markup

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def saved_line(ctx: Context, field: str, value: object) -> Markup:
    """ "Gespeichert – Sprache: Deutsch" and where the whole profile is."""
    label = ctx.t(f"profile.field.{field}")
    return ctx.t("profile.saved_field", field=label, value=value_shown(ctx, field, value))


def value_shown(ctx: Context, field: str, value: object) -> str | Markup:
    """A field's value as the member reads it."""
    if isinstance(value, bool):
        return Markup(ctx.t("common.yes") if value else ctx.t("common.no"))
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value) or "–"
    if field == "language":
        return LANGUAGE_NAMES.get(str(value), str(value))
    return str(value) if value else "–"
