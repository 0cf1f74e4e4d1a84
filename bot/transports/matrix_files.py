"""Files on Matrix: members' m.image/m.file events in, images and files out through the media repo.

In an encrypted room a file is encrypted before it is uploaded and its key travels inside the
(encrypted) event; elsewhere the event names the plain upload. A stored file (a broadcast's) is
uploaded once per variant, plain or encrypted, and the mxc URLs (with the key) are handed back
to the delivery worker as one reference, so every further room gets an event, not an upload.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import aiohttp
from nio import AsyncClient, DownloadResponse, UploadResponse
from nio.crypto.attachments import decrypt_attachment
from nio.exceptions import EncryptionError

from bot.errors import FileTooLarge, FileUnavailable
from bot.messages import Attachment, AttachmentKind, IncomingAttachment

MEDIA_KINDS = {
    "m.image": AttachmentKind.IMAGE,
    "m.file": AttachmentKind.FILE,
    "m.video": AttachmentKind.OTHER,
    "m.audio": AttachmentKind.OTHER,
}


def incoming_attachment(content: dict[str, Any]) -> tuple[IncomingAttachment, str] | None:
    """The file of an m.image/m.file/m.video/m.audio event and its caption (maybe empty)."""
    kind = MEDIA_KINDS.get(str(content.get("msgtype")))
    if kind is None:
        return None
    info = content.get("info") if isinstance(content.get("info"), dict) else {}
    assert isinstance(info, dict)
    encrypted = content.get("file")
    if isinstance(encrypted, dict) and isinstance(encrypted.get("url"), str):
        ref = json.dumps({"file": encrypted})
    elif isinstance(content.get("url"), str):
        ref = json.dumps({"url": content["url"]})
    else:
        return None
    body = str(content.get("body") or "")
    filename = str(content.get("filename") or "")
    # Since Matrix 1.10 a `filename` beside a different `body` makes the body a caption.
    caption = body if filename and body != filename else ""
    size = info.get("size")
    attachment = IncomingAttachment(
        kind,
        ref,
        filename or body,
        str(info.get("mimetype") or "application/octet-stream"),
        size if isinstance(size, int) else None,
    )
    return attachment, caption


async def fetch(client: AsyncClient, attachment: IncomingAttachment, max_bytes: int) -> bytes:
    """Download (and decrypt) a file a member sent."""
    if attachment.size is not None and attachment.size > max_bytes:
        raise FileTooLarge(attachment.size)
    ref = json.loads(attachment.ref)
    encrypted = ref.get("file")
    url = encrypted["url"] if encrypted else ref["url"]
    try:
        response = await client.download(mxc=url)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise FileUnavailable(str(error)) from error
    if not isinstance(response, DownloadResponse) or not isinstance(response.body, bytes):
        raise FileUnavailable(str(response))
    data = response.body
    if len(data) > max_bytes:
        raise FileTooLarge(len(data))
    if encrypted:
        try:
            data = _decrypt(data, encrypted)
        except (EncryptionError, KeyError, TypeError, ValueError) as error:
            raise FileUnavailable(f"cannot decrypt {url}: {error}") from error
    return data


def _decrypt(data: bytes, file: dict[str, Any]) -> bytes:
    plain: bytes = decrypt_attachment(data, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
    return plain


class UploadFailed(Exception):
    def __init__(self, response: Any) -> None:
        super().__init__(str(response))
        self.response = response


class MediaUploads:
    """Uploads to the media repository; a stored file once per variant (plain, encrypted)."""

    def __init__(self) -> None:
        self.uploaded = 0  # uploads of stored files (tests read it)
        self._refs: dict[int, dict[str, Any]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def content(
        self, client: AsyncClient, attachment: Attachment, *, encrypt: bool
    ) -> tuple[dict[str, Any], str | None]:
        """The event content for the file, and for a stored file the reference to pass back.

        Raises `UploadFailed` (with nio's error response) or aiohttp/timeout errors.
        """
        variant = "encrypted" if encrypt else "plain"
        stored = attachment.stored_id
        if stored is None:
            source = await self._upload(client, attachment, encrypt=encrypt)
            return _event(attachment, source), None
        async with self._locks.setdefault(stored, asyncio.Lock()):
            refs = {**_parse(attachment.platform_ref), **self._refs.get(stored, {})}
            if variant not in refs:
                refs[variant] = await self._upload(client, attachment, encrypt=encrypt)
                self.uploaded += 1
            self._refs[stored] = refs
        return _event(attachment, refs[variant]), json.dumps(refs, sort_keys=True)

    async def _upload(
        self, client: AsyncClient, attachment: Attachment, *, encrypt: bool
    ) -> dict[str, Any]:
        data = attachment.content
        upload, keys = await client.upload(
            lambda *_: io.BytesIO(data),
            content_type=attachment.mime_type,
            filename=attachment.filename,
            encrypt=encrypt,
            filesize=len(data),
        )
        if not isinstance(upload, UploadResponse):
            raise UploadFailed(upload)
        if encrypt and keys is not None:
            return {"file": {"url": upload.content_uri, **keys}}
        return {"url": upload.content_uri}


def _parse(ref: str | None) -> dict[str, Any]:
    if not ref:
        return {}
    try:
        parsed = json.loads(ref)
    except ValueError:
        return {}
    return {k: v for k, v in parsed.items() if k in ("plain", "encrypted")}


def _event(attachment: Attachment, source: dict[str, Any]) -> dict[str, Any]:
    image = attachment.kind is AttachmentKind.IMAGE and attachment.mime_type.startswith("image/")
    return {
        "msgtype": "m.image" if image else "m.file",
        "body": attachment.filename,
        "filename": attachment.filename,
        "info": {"mimetype": attachment.mime_type, "size": attachment.size},
        **source,
    }
