"""Stored attachments as the delivery worker sends them: loaded once, each upload remembered.

A broadcast's outbox messages name its file (`Attachment.stored_id`) instead of carrying it. The
worker fills in the bytes from a small in-memory cache (one database read per file, not per
recipient) and the handle of an earlier upload on the platform at hand, and stores a new handle
when a transport reports one (`SendResult.media_ref`), so that the next recipients, a restarted
worker and other bot processes send that upload instead of the bytes again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import replace

from bot.messages import Attachment
from storage import files
from storage.db import Database
from storage.files import FileWithContent


class StoredFiles:
    """The files a worker is sending, the most recently used `capacity` kept in memory."""

    def __init__(self, db: Database, *, capacity: int = 4) -> None:
        self.db = db
        self.capacity = capacity
        self.loads = 0  # database reads of file contents (tests and benchmarks read it)
        self._cache: OrderedDict[int, FileWithContent] = OrderedDict()
        self._lock = asyncio.Lock()

    async def fill(self, platform: str, attachment: Attachment) -> Attachment | None:
        """`attachment` with its bytes and this platform's upload handle; None when it is gone."""
        assert attachment.stored_id is not None
        stored = await self._get(attachment.stored_id)
        if stored is None:
            return None
        return replace(
            attachment,
            filename=stored.info.filename,
            mime_type=stored.info.mime_type,
            content=stored.content,
            platform_ref=stored.platform_refs.get(platform),
        )

    async def remember(self, platform: str, file_id: int, ref: str) -> None:
        """A transport uploaded the file and got `ref` for it: keep it, here and in the db."""
        stored = await self._get(file_id)
        if stored is None or stored.platform_refs.get(platform) == ref:
            return
        stored.platform_refs[platform] = ref
        async with self.db.session() as session:
            await files.set_platform_ref(session, file_id=file_id, platform=platform, ref=ref)

    async def _get(self, file_id: int) -> FileWithContent | None:
        cached = self._cache.get(file_id)
        if cached is not None:
            self._cache.move_to_end(file_id)
            return cached
        async with self._lock:  # the senders of one broadcast wait for one read, not 32
            cached = self._cache.get(file_id)
            if cached is not None:
                return cached
            async with self.db.read() as session:
                loaded = await files.load(session, file_id=file_id)
            self.loads += 1
            if loaded is None:
                return None
            self._cache[file_id] = loaded
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
            return loaded
