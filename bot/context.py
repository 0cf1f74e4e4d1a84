"""The per-update context a handler gets: who is speaking, in which language, and `reply`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.errors import FileTooLarge, FileUnavailable, NotAllowed, UserError
from bot.flows import (
    PAUSED,
    QUESTION,
    TOLD,
    FlowInfo,
    own_values,
    paused_step,
    paused_under,
    question_has_buttons,
    question_labels,
    question_language,
    question_payload,
    question_reply,
    with_paused,
)
from bot.i18n import Markup, size_text, t
from bot.messages import (
    KEEPS_CHOICES,
    MAX_PAYLOAD_BYTES,
    MEANT_COMMAND,
    NO_SAYS,
    STARTS_CHOICES,
    YES_PRESSES,
    Button,
    Incoming,
    IncomingAttachment,
    Reply,
    plain_text,
)
from bot.router import Args, TakeBeside
from bot.services import Services
from bot.transports.base import Respond
from storage import audit, conversations
from storage.db import Database
from storage.models import Member

log = logging.getLogger(__name__)


@dataclass
class Context:
    incoming: Incoming
    services: Services
    member: Member
    is_admin: bool
    respond: Respond
    args: Args = field(default_factory=lambda: Args({}))
    # The member's message just before this one in the same chat, when it was free text
    # written within a few minutes (bot/recent.py), else "": a question pointing back ("Was
    # kostet das?") is read with it.
    before: str = ""
    # The payloads of the buttons of the latest choices the member saw when this update came
    # (bot/shown.py): what the message just before is about ("ev:leave:3" under a sign-up just
    # made), which a question naming nothing ("Kann mein Kollege mitkommen?") may mean.
    shown_before: tuple[str, ...] = ()
    # The payloads of the choices shown before those, newest first, one tuple per message
    # that replaced them, for a while (bot/shown.py `earlier_payloads`): what the member
    # talked about a few messages back (an event's details, then questions about it).
    shown_earlier: tuple[tuple[str, ...], ...] = ()
    # The flow whose step waits while this text is answered as a question beside it
    # (`answer_beside`): nothing typed then becomes an office ticket unasked.
    beside_step: str | None = None
    # Told of each reply with buttons, the language it is written in and the member's setting
    # (bot/spoken.py): a press of one is answered in that language, not in the setting.
    buttons_shown: Callable[[Reply, str, str], None] | None = None
    # The last reply of this update, and whether a step was asked: the step keeps its question
    # so that its command can show it again (bot/flows.py).
    _last_reply: Reply | None = field(default=None, repr=False)
    _asked: bool = field(default=False, repr=False)
    # The language of this reply when it is not the member's (`speaking`).
    _speaking: str | None = field(default=None, repr=False)
    # The flow put back in this update when the one above it ended, or whose step's buttons
    # an answer beside it took the place of (`answer_beside`), not yet shown again: the
    # dispatcher shows its question after the update's last reply (`come_back`). A list, so
    # that a copy `speaking` another language shares it.
    _put_back: list[str] = field(default_factory=list, repr=False)
    # The line saying the pending step still waits (flow, its catalogue key: said in the
    # member's language, whatever the reply it comes before is written in), held until the
    # next reply (`tell_waiting`, with the labels of the step's buttons a preview's line
    # names): when the step goes under a flow asked in this update, its `kept` line says
    # more and takes its place. A list, shared like `_put_back`.
    _waiting: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list, repr=False)
    # The line the next reply begins with (a flow's `resumed` line above its question asked
    # anew: `show_again`). A list, shared like `_put_back`.
    _lead_in: list[Markup] = field(default_factory=list, repr=False)
    # Set while a waiting flow's question is shown again (`come_back`): True, its choices are
    # numbered from 1 where they are typed (`STARTS_CHOICES`); False for a preview, numbered
    # on. A list, shared like `_put_back`.
    _showing_again: list[bool] = field(default_factory=list, repr=False)
    # What this update's replies said already (`first_in_update`): a description's passage, an
    # event's sign-up, said once to a message asking two things they answer. A set, shared
    # like `_put_back`.
    _said: set[str] = field(default_factory=set, repr=False)

    @property
    def put_back(self) -> bool:
        """A flow that stayed came back in this update (or waited beside an answer) and has
        not been shown yet."""
        return bool(self._put_back)

    @property
    def lang(self) -> str:
        return self._speaking or self.member.language

    def speaking(self, lang: str) -> Context:
        """This context replying in `lang` (a question written in the other language is
        answered in it); the member's setting stays."""
        return self if lang == self.lang else replace(self, _speaking=lang)

    def first_in_update(self, key: str) -> bool:
        """True the first time `key` (a passage quoted, an event's sign-up offered) comes up
        in this update's replies."""
        if key in self._said:
            return False
        self._said.add(key)
        return True

    @property
    def db(self) -> Database:
        return self.services.db

    def t(self, key: str, **values: object) -> Markup:
        return t(self.lang, key, **values)

    def command(self, name: str) -> str:
        """`/join` as this member is shown it: `/anmelden` in German."""
        return f"/{self.services.router.name_in(name, self.lang)}"

    async def reply(
        self, text: str | Reply, buttons: tuple[tuple[Button, ...], ...] = ()
    ) -> str | None:
        reply = text if isinstance(text, Reply) else Reply(text=text, buttons=buttons)
        await self.flush_waiting()
        ref = await self.respond(self._led_in(reply))
        if self.buttons_shown is not None and reply.buttons:
            self.buttons_shown(reply, self.lang, self.member.language)
        if reply.text and not reply.edit_ref:
            self._last_reply = reply
            if self._asked:
                async with self.services.db.session() as session:
                    await conversations.update_data(
                        session,
                        member_id=self.member.id,
                        **{QUESTION: question_payload(reply, self.lang)},
                    )
        return ref

    async def offer_command(self, text: str, meant: str, label: str | None = None) -> None:
        """`text` with a button that runs the command `meant` ("leave 1": "/abmelden 1") with
        its own checks, which a typed "ja" presses; a "nein" is told nothing ran. The button
        says "Ja, /abmelden 1", or `label` where `text` names the command already. Words too
        long for a button: `text` alone."""
        payload = f"{MEANT_COMMAND}:{meant}"
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            await self.reply(text)
            return
        name, _, words = meant.partition(" ")
        shown = " ".join(f"{self.command(name)} {words}".split())
        button = Button(label or self.t("errors.run_meant", command=shown), payload)
        answers = {YES_PRESSES: payload, NO_SAYS: str(self.t("errors.meant_not_run"))}
        await self.reply(Reply(text=text, buttons=((button,),), metadata=answers))

    async def note(self, text: str) -> None:
        """A line sent at once, ahead of what this update answers ("Einen Moment …"): the
        lines held for that answer (`tell_waiting`, `show_again`) wait for it, and no step
        keeps the note as its question."""
        await self.respond(Reply(text=text))

    def _led_in(self, reply: Reply) -> Reply:
        """`reply` beginning with the line held for it (`show_again`); the step keeps its
        question without it."""
        if self._showing_again and self._showing_again[0] and reply.buttons:
            # the question shown again: its choices numbered from 1 where they are typed
            reply = replace(reply, metadata={**reply.metadata, STARTS_CHOICES: "yes"})
        if not (self._lead_in and reply.text):
            return reply
        return replace(reply, text=Markup(f"{self._lead_in.pop()}\n\n{reply.text}"))

    def tell_waiting(self, flow: str, key: str, data: Mapping[str, Any] | None = None) -> None:
        """Say before the next reply that `flow`, the pending step, still waits: the line
        `key`, in the member's language (`/sprache en` beside a step is answered in
        English, the line with it), naming the buttons of the step's kept question (in its
        `data`) where the line has a place for them (a preview waits for them)."""
        labels = tuple(question_labels((data or {}).get(QUESTION)))
        self._waiting[:] = [(flow, key, labels)]

    def answer_beside(self, flow: str, step: str, data: Mapping[str, Any]) -> None:
        """A question is about to be answered while `flow` waits at `step` (its `data`): one
        line before the answer says it still waits, nothing of it becomes an office ticket
        unasked, and a step asked with buttons is shown again after the answer. The answer's
        own buttons (an FAQ's choices, 👍/👎) are then the last ones: where choices are typed
        (console, Matrix) "Senden" or "1" would miss the step's or press theirs."""
        info = self.services.router.flows.get(flow, FlowInfo())
        self.tell_waiting(flow, info.paused_key(step), data)
        self.beside_step = flow
        if question_has_buttons(data.get(QUESTION)):
            self._put_back[:] = [flow]

    async def flush_waiting(self) -> None:
        """Send the waiting line held by `tell_waiting`, if any: in the member's language,
        not the one a question beside the step was written in (it speaks of the member's
        own step; a German member asking in English still reads it in German). After
        /sprache the member's language is the one just chosen."""
        lang = self.member.language
        while self._waiting:
            _flow, key, labels = self._waiting.pop(0)
            named = buttons_named(labels, lang)
            await self.respond(Reply(text=t(lang, key, buttons=named)))

    async def say(self, key: str, **values: object) -> str | None:
        return await self.reply(self.t(key, **values))

    async def fetch_file(self, attachment: IncomingAttachment, *, max_bytes: int) -> bytes:
        """The bytes of a file the member sent; a translated UserError when that fails."""
        fetch = self.services.file_fetchers.get(self.incoming.platform)
        if fetch is None:
            raise UserError("errors.file_unavailable")
        try:
            return await fetch(attachment, max_bytes)
        except FileTooLarge as error:
            size = error.size if error.size else max_bytes + 1
            raise UserError(
                "errors.file_too_large",
                size=size_text(size, self.lang),
                limit=size_text(max_bytes, self.lang),
            ) from None
        except FileUnavailable as error:
            log.warning("could not fetch a file from %s: %s", self.incoming.platform, error)
            raise UserError("errors.file_unavailable") from None

    async def require_admin(self, action: str) -> None:
        """Refuse (and audit the attempt) unless the speaker is an admin."""
        if not self.is_admin:
            await self.audit(action, allowed=False)
            raise NotAllowed()

    async def audit(
        self, action: str, *, allowed: bool = True, detail: str | Mapping[str, object] = ""
    ) -> None:
        """Log an admin action; `detail` as text or as data (handlers/audit.py `detail`)."""
        async with self.services.db.session() as session:
            await audit.record(
                session,
                actor_member_id=self.member.id,
                action=action,
                allowed=allowed,
                detail=detail,
            )
        log.info("admin action %s by member %s allowed=%s", action, self.member.id, allowed)

    async def ask(self, flow: str, step: str, data: dict[str, object] | None = None) -> None:
        """Wait for the member's next free text in `flow` at `step`. Asked before the step's
        question is shown, a flow that goes under it is said to wait above that question (and
        instead of a "still waiting" line held for it, `tell_waiting`)."""
        values = own_values(data or {})
        if self._last_reply is not None:  # a flow may ask after showing its question
            values[QUESTION] = question_payload(self._last_reply, self.lang)
        flows = self.services.router.flows
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
            pending = (row.flow, row.step, dict(row.data)) if row is not None else None
            # a flow that stays (the registration, a broadcast) waits under this one
            kept = paused_under(pending, flow, flows)
            if kept is not None:
                values[PAUSED] = kept
            under = (
                pending if pending is not None and _goes_under(pending[0], flow, flows) else None
            )
            # Told once, when it goes under; not again while it was not shown since (`TOLD`).
            tell = under is not None and not under[2].get(TOLD)
            if under is not None and kept is not None:
                kept["data"] = {**kept["data"], TOLD: True}
                # "It still waits", about to be said of it, says less than `kept`: replaced.
                tell = self._drop_waiting(under[0]) or tell
            await conversations.put(
                session, member_id=self.member.id, flow=flow, step=step, data=values
            )
        self._put_back.clear()  # what came back waits under this flow again
        if under is not None and tell:
            # Not the question (`_asked` is not set yet), and choices shown before it keep
            # their numbers.
            line = self.kept_line(under[0], flow)
            await self.flush_waiting()
            await self.respond(Reply(text=line, metadata={KEEPS_CHOICES: "yes"}))
        self._asked = True

    def drop_waiting(self, flow: str) -> None:
        """Say no "still waiting" line of `flow` in this update: what waited is replaced (a
        new partner search typed at the last one's preview)."""
        self._drop_waiting(flow)

    def _drop_waiting(self, flow: str) -> bool:
        """Drop the held line that `flow` still waits (`tell_waiting`); whether there was one."""
        held = [line for line in self._waiting if line[0] == flow]
        self._waiting[:] = [line for line in self._waiting if line[0] != flow]
        return bool(held)

    def kept_line(self, flow: str, beside: str) -> Markup:
        """What the member is told of `flow`, a flow that stays, waiting under `beside`: that
        it is not lost, and when it comes back (`beside` named: "sobald die neue Veranstaltung
        gespeichert oder verworfen ist")."""
        key = self.services.router.flows[flow].key
        return self.t(f"{key}.kept", until=self.kept_until(beside))

    def kept_until(self, beside: str) -> Markup:
        """When a flow waiting under `beside` comes back, as the end of a `kept` line."""
        return self.t(f"{self.services.router.flows.get(beside, FlowInfo()).key}.until")

    def _under(self, data: dict[str, Any]) -> tuple[str, str, dict[str, object]] | None:
        """The flow that waits under a conversation (its `data`), as (flow, step, data), no
        longer marked as told that it waits (it will be shown again)."""
        kept = data.get(PAUSED)
        if not isinstance(kept, dict) or kept.get("flow") not in self.services.router.steps:
            return None
        under = dict(kept["data"]) if isinstance(kept.get("data"), dict) else {}
        under.pop(TOLD, None)
        return str(kept["flow"]), str(kept.get("step", "")), under

    async def _came_back(self, flow: str) -> None:
        """`flow` waits again: its feature settles it, and it is shown at the update's end."""
        self._put_back[:] = [flow]
        settle = self.services.router.comebacks.get(flow)
        if settle is not None:
            await settle(self, False)

    async def end_flow(self, flow: str | None = None) -> None:
        """End the pending flow (only if it is `flow`, when given); a flow that stayed under
        it is put back at the step it waits at, its question asked again after this update's
        replies (`come_back`). A flow's own buttons and steps name it: an older button must
        not end what waits now."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
            if row is None or (flow is not None and row.flow != flow):
                return
            # ended by this update: it no longer waits ("/sprache en" at "Sprache ändern")
            self._waiting[:] = [w for w in self._waiting if w[0] != row.flow]
            back = self._under(row.data)
            if back is None:
                await conversations.clear(session, member_id=self.member.id)
                return
            await conversations.put(
                session, member_id=self.member.id, flow=back[0], step=back[1], data=back[2]
            )
        await self._came_back(back[0])

    async def keeps_under(self, flow: str) -> bool:
        """Whether `flow` asked now keeps a flow waiting under it: the pending flow stays (a
        registration), or waits under `flow` pending already."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
        pending = (row.flow, row.step, dict(row.data)) if row is not None else None
        return paused_under(pending, flow, self.services.router.flows) is not None

    async def waiting_preview(self) -> Reply | None:
        """The preview the member's pending step waits at (a partner search's, a broadcast's),
        as it was shown, with its buttons: something waiting for them (/pending); None when
        no preview waits."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
        if row is None:
            return None
        info = self.services.router.flows.get(row.flow, FlowInfo())
        if row.step not in info.previews or not question_has_buttons(row.data.get(QUESTION)):
            return None
        return question_reply(row.data.get(QUESTION))

    async def take_step(self, flow: str, step: str) -> dict[str, object] | None:
        """End `flow` at `step` once, for a confirmation: a second (or concurrent) press gets
        None. What waited under it is put back, as by `end_flow`."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
            back = self._under(row.data) if row is not None else None
            taken = await conversations.take(
                session, member_id=self.member.id, flow=flow, step=step, then=back
            )
        if taken is None:
            return None
        if back is not None:
            await self._came_back(back[0])
        return dict(taken.data)

    async def come_back(self) -> None:
        """A dialogue is over: a flow that stayed waiting asks its question again, so the
        member knows how it goes on (its feature's way, or its last question again); so does
        a flow whose step waited beside an answer (`answer_beside`)."""
        beside = list(self._put_back)
        self._put_back.clear()
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
            if row is not None and TOLD in row.data:  # shown now: told again when it goes under
                data = {key: value for key, value in row.data.items() if key != TOLD}
                await conversations.put(
                    session, member_id=self.member.id, flow=row.flow, step=row.step, data=data
                )
        if row is None:
            return
        handler = self.services.router.comebacks.get(row.flow)
        info = self.services.router.flows.get(row.flow, FlowInfo())
        # A preview's first button sends (a partner request, a broadcast): shown again after
        # another answer's choices, its own are numbered on from them, so that the "1" shown
        # beside that answer's first button presses it (a walkthrough's "1" meant for "Ja, an
        # die Geschäftsstelle" had sent a partner search). A question starts at 1.
        self._showing_again[:] = [row.step not in info.previews]
        try:
            if handler is not None:
                await handler(self, True)
                return
            if self.services.router.flows.get(row.flow, FlowInfo()).stays or row.flow in beside:
                await self.show_again(row.flow, row.step, dict(row.data))
        finally:
            self._showing_again.clear()

    async def show_pending_again(self) -> None:
        """The pending flow's question comes again at the end of this update (`come_back`):
        after /language, asked anew in the member's language now. Called before the update's
        first reply, the line held to say the flow still waits (`tell_waiting`) is dropped:
        its question, shown again, says so."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
        if row is not None:
            self._put_back[:] = [row.flow]
            self._drop_waiting(row.flow)

    async def show_again(self, flow: str, step: str, data: dict[str, Any]) -> bool:
        """Show a waiting flow's kept question again under its `resumed` line, all in one
        language: the member's now, the flow asking its step anew when the question was kept
        in the other (`/sprache` meanwhile: `Router.ask_again`) or none was kept (its draft
        changed while it waited: `Router.take_beside`), else the question's own. False when
        there is nothing to show."""
        kept = data.get(QUESTION)
        question = question_reply(kept)
        asked_in = question_language(kept) or self.lang
        # Asked anew by its feature: a question kept in another language (/sprache meanwhile),
        # or none kept, as the flow's draft changed while it waited (`take_beside`).
        if question is None or asked_in != self.lang:
            if await self._ask_anew(flow, step, data):
                return True
            if question is None:
                return False
        resumed = f"{self.services.router.flows.get(flow, FlowInfo()).key}.resumed"
        text = Markup(f"{t(asked_in, resumed)}\n\n{question.text}")
        await self.reply(Reply(text=text, buttons=question.buttons, metadata=question.metadata))
        return True

    async def _ask_anew(self, flow: str, step: str, data: dict[str, Any]) -> bool:
        """`flow`'s step asked anew by its feature under its `resumed` line; whether it could."""
        asker = self.services.router.askers.get(flow)
        if asker is None:
            return False
        resumed = f"{self.services.router.flows.get(flow, FlowInfo()).key}.resumed"
        self._lead_in[:] = [self.t(resumed)]
        try:
            return await asker(self, step, own_values(data))
        finally:
            self._lead_in.clear()

    async def change_flow(self, flow: str, take: TakeBeside) -> tuple[str, dict[str, Any]] | None:
        """Change `flow`, pending or waiting under the pending conversation, as its feature
        takes what was written (`take`: its step and data from now on); the step and data it
        has now (its question dropped: asked anew when shown), None when it waits nowhere."""
        async with self.services.db.session() as session:
            row = await conversations.get(session, member_id=self.member.id)
            if row is None:
                return None
            data = dict(row.data)
            if row.flow == flow:
                step, own = take(self, row.step, own_values(data))
                beneath = {key: value for key, value in data.items() if key in (PAUSED, TOLD)}
                changed = {**own_values(own), **beneath}
                await conversations.put(
                    session, member_id=self.member.id, flow=flow, step=step, data=changed
                )
                return step, changed
            found = paused_step(data, flow)
            if found is None:
                return None
            step, own = take(self, *found)
            data = with_paused(data, flow, step, own)
            await conversations.update_data(
                session, member_id=self.member.id, **{PAUSED: data[PAUSED]}
            )
        return step, own


def _goes_under(pending: str, asked: str, flows: Mapping[str, FlowInfo]) -> bool:
    """Whether the pending flow waits under the flow asked beside it (it stays)."""
    return pending != asked and flows.get(pending, FlowInfo()).stays


def buttons_named(labels: Sequence[str], lang: str) -> Markup:
    """Buttons named in a sentence: "“Yes, send”, “Describe more precisely” or “Cancel”"
    ("its buttons" when there are none to name); the labels as the buttons show them."""
    quoted = [t(lang, "flows.button_named", label=plain_text(label)) for label in labels]
    if len(quoted) < 2:
        return quoted[0] if quoted else t(lang, "flows.its_buttons")
    return t(lang, "flows.buttons_or", some=Markup(", ".join(quoted[:-1])), last=quoted[-1])
