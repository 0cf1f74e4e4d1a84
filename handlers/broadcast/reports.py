"""What became of the broadcasts: one's delivery report (/zustellbericht) and the list of the
recent and scheduled ones (/zustellung), with the lines both share."""

from __future__ import annotations

from datetime import datetime

from bot.context import Context
from bot.i18n import Markup
from bot.i18n.dates import show_when
from bot.messages import Button, Reply, shorten
from handlers.broadcast import files
from handlers.broadcast.rules import parse_audience
from handlers.broadcast.sending import delivery_report, listed_broadcasts, shown_text
from storage import files as stored_files
from storage.event_store import as_utc

HISTORY_LENGTH = 10


def attachment_line(ctx: Context, draft: object) -> Markup:
    """The attachment as a line of its own (after the text), or nothing."""
    if not isinstance(draft, dict | stored_files.FileInfo):
        return Markup("")
    return Markup("\n" + files.describe(draft, ctx.lang))


def local_time(ctx: Context, moment: datetime) -> str:
    return show_when(moment, lang=ctx.lang, tz=ctx.services.settings.network.tz)


async def report(ctx: Context, number: int) -> Reply:
    found = await delivery_report(ctx.db, number, now=ctx.services.clock())
    broadcast, counts = found.broadcast, found.counts
    audience = parse_audience(broadcast.audience)
    text = ctx.t(
        "broadcast.report",
        number=number,
        created=local_time(ctx, as_utc(broadcast.created_at)),
        when=ctx.t(_when_key(found.state), time=local_time(ctx, as_utc(broadcast.send_at))),
        audience=audience.describe(ctx.lang),
        recipients=broadcast.recipients,
        state=ctx.t(f"broadcast.state_{found.state}"),
        excerpt=_excerpt(shown_text(broadcast.text, broadcast.text_en)),
        english=_report_english(ctx, broadcast.text, broadcast.text_en),
        attachment=attachment_line(ctx, found.attachment),
        not_sent=_not_sent(ctx, "broadcast.report_not_sent", counts)
        + _erased(ctx, broadcast.recipients, counts, "broadcast.report_erased"),
        **counts,
    )
    refresh = ((Button(ctx.t("broadcast.refresh"), f"bc:report:{number}"),),)
    return Reply(text, buttons=refresh if counts["pending"] else ())


def _when_key(state: str) -> str:
    """A cancelled broadcast was never sent: its time is the one it was planned for."""
    if state == "cancelled":
        return "broadcast.report_was_planned"
    return "broadcast.report_planned" if state == "scheduled" else "broadcast.report_sent_from"


def _erased(ctx: Context, recipients: int, counts: dict[str, int], key: str) -> Markup:
    """Copies of members who erased their data since (/vergessen takes their copies with
    them), so that the counts add up to the recipients."""
    gone = recipients - sum(counts.values())
    return ctx.t(key, count=gone) if gone > 0 else Markup("")


def _not_sent(ctx: Context, key: str, counts: dict[str, int]) -> Markup:
    """The copies withdrawn by cancelling, so that the counts add up to the recipients."""
    return ctx.t(key, count=counts["withdrawn"]) if counts.get("withdrawn") else Markup("")


def _report_english(ctx: Context, text: str, text_en: str) -> Markup:
    """The English version below the German one's excerpt; a text only in English says so."""
    if not text_en:
        return Markup("")
    if not text:
        return ctx.t("broadcast.report_only_english")
    return ctx.t("broadcast.report_english", excerpt=_excerpt(text_en))


def _history_english(ctx: Context, text: str, text_en: str) -> Markup:
    """A history line names the English version by a word (its line is one excerpt long)."""
    if not text_en:
        return Markup("")
    return ctx.t("broadcast.history_english" if text else "broadcast.report_only_english")


def _excerpt(text: str, limit: int = 80) -> str:
    return shorten(" ".join(text.split()), limit)


def _history_file(info: stored_files.FileInfo | None) -> str:
    return f" 📎 {info.filename}" if info is not None else ""


async def history(ctx: Context) -> Reply:
    """The recent broadcasts and every scheduled one; each still waiting can be cancelled."""
    listed = await listed_broadcasts(ctx.db, now=ctx.services.clock(), recent=HISTORY_LENGTH)
    if not listed:
        return Reply(ctx.t("broadcast.history_empty"))
    lines = [ctx.t("broadcast.history_header")]
    cancellable: list[int] = []
    for entry in listed:
        item = entry.broadcast
        line = ctx.t(
            "broadcast.history_line",
            number=item.id,
            send_at=local_time(ctx, as_utc(item.send_at)),
            audience=parse_audience(item.audience).describe(ctx.lang),
            recipients=ctx.t("broadcast.recipients", count=item.recipients),
            excerpt=_excerpt(shown_text(item.text, item.text_en), 40),
            english=_history_english(ctx, item.text, item.text_en),
            attachment=_history_file(entry.attachment),
            not_sent=_not_sent(ctx, "broadcast.history_not_sent", entry.counts)
            + _erased(ctx, item.recipients, entry.counts, "broadcast.history_erased"),
            **entry.counts,
        )
        if entry.state == "cancelled":
            line = Markup(line + ctx.t("broadcast.history_cancelled"))
        elif entry.state == "scheduled":
            line = Markup(line + ctx.t("broadcast.history_scheduled"))
            cancellable.append(item.id)
        lines.append(line)
    buttons = tuple(
        (Button(ctx.t("broadcast.cancel_scheduled", number=n), f"bc:withdraw:{n}"),)
        for n in cancellable
    )
    return Reply(Markup("\n".join(lines)), buttons=buttons)
