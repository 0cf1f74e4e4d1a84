"""Built matching indexes kept on disk, so that a restarted bot answers in seconds.

Indexing a knowledge base of 10,000 entries takes the FAQ engine about 10 s and the partner
ranking 5 s for 10,000 members; unpickling what was built takes about 0.3 s each. An index
is stored under the cache directory (`resources.cache_dir()`) keyed by everything it was
built from: the inputs (entries and learned phrasings, or the members), the network's glossary, the
general-language resources' files and the source code of the matching packages. A change to
any of them is a different key, so a stale index is never read; it is simply built again.

Pickle runs code from the file it reads, so only files this process's user owns and nobody
else can write are read (the folder is created private); anything unreadable, foreign or
corrupt is built again, never an error. Small indexes are not stored (building them is
quicker than the disk), and each kind keeps its newest few files.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from bot import memory
from bot.textmatch import resources
from bot.textmatch.thesaurus import default_glossary

log = logging.getLogger(__name__)

T = TypeVar("T")

# A build quicker than this is not worth a file (tests build hundreds of tiny indexes).
MIN_BUILD_SECONDS = 0.5
# Files kept per kind: the current index and a few before it (a second process may still
# be on the previous knowledge base).
KEEP_PER_KIND = 3
SUFFIX = ".index.pickle"
SETTING = "REWIMET_INDEX_CACHE"  # a folder, or "off"
# What unpickling a truncated or corrupt file raises: the index is then built again.
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)

# The packages whose code decides what an index holds.
_CODE_ROOTS = ("bot/textmatch", "handlers/faq", "handlers/partners")
_PROJECT = Path(__file__).resolve().parents[2]


def by_fields(value: Any) -> tuple[type, tuple[object, ...]]:
    """`__reduce__` for the frozen, slotted dataclasses an index holds by the ten thousand: the
    object is rebuilt by its constructor. (Dataclasses' own `__setstate__` looks the fields up
    again for every object: a cached 10,000-entry FAQ index took 2.3 times as long to read.)"""
    return type(value), tuple(getattr(value, name) for name in value.__match_args__)


@cache
def code_fingerprint() -> str:
    """Digest of the matching code and its data files, the Python version and the resources'
    files: an index built by other code or from other resources is never read."""
    digest = hashlib.sha256(sys.version.encode())
    for root in _CODE_ROOTS:
        for path in sorted((_PROJECT / root).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".txt", ".toml", ".csv"):
                digest.update(str(path.relative_to(_PROJECT)).encode())
                digest.update(path.read_bytes())
    digest.update(resources.fingerprint().encode())
    return digest.hexdigest()


def key_of(kind: str, inputs: object) -> str:
    """The file key of an index of `kind` built from `inputs` with the configured glossary.

    The repr of `inputs` is hashed: they must be dataclasses, tuples, lists, dicts, strings
    and numbers, whose repr is the same in every process (a set's order is not)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(kind.encode())
    digest.update(default_glossary().read_bytes())
    digest.update(repr(inputs).encode())
    return digest.hexdigest()[:32]


def load_or_build(
    kind: str,
    inputs: object,
    build: Callable[[], T],
    built_type: type[T],
    *,
    directory: Path | None = None,
    min_build_seconds: float | None = None,
    key: str | None = None,
) -> T:
    """The index of `kind` for `inputs`: read from the cache when it was built before (and is
    a `built_type`), else built and stored when the build took at least `min_build_seconds`
    (default `MIN_BUILD_SECONDS`). `key`: `key_of(kind, inputs)` when the caller has it
    already (the inputs of a large index take a while to digest).
    With REWIMET_INDEX_CACHE=off in the environment, always built (what benchmarks of the
    build time need)."""
    if os.environ.get(SETTING, "").lower() == "off":
        return build()
    path = path_of(kind, inputs, directory, key=key)
    found = _read(path)
    if isinstance(found, built_type):
        log.info("%s index read from %s", kind, path)
        with contextlib.suppress(OSError):
            os.utime(path)  # newest first when pruning
        return found
    started = time.perf_counter()
    built = build()
    least = MIN_BUILD_SECONDS if min_build_seconds is None else min_build_seconds
    if time.perf_counter() - started >= least:
        _write(path, built)
        _prune(path.parent, kind)
    return built


def path_of(
    kind: str, inputs: object, directory: Path | None = None, *, key: str | None = None
) -> Path:
    """Where the index of `kind` for `inputs` is kept: in `directory`, else the folder
    REWIMET_INDEX_CACHE names, else `indexes` in the cache directory."""
    folder = directory or Path(os.environ.get(SETTING) or resources.cache_dir() / "indexes")
    return folder / f"{kind}-{key or key_of(kind, inputs)}{SUFFIX}"


def _read(path: Path) -> object:
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                log.warning("not reading %s: not this user's own private file", path)
                return None
            with memory.collections_paused():
                found: object = pickle.load(handle)
            return found
    except FileNotFoundError:
        return None
    except _UNREADABLE as exc:
        log.warning("cannot read cached index %s (%s); building it again", path, exc)
        return None


def _write(path: Path, value: object) -> None:
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # atomic: a second process never reads half an index
    except (OSError, pickle.PicklingError) as exc:
        log.info("cannot cache an index in %s: %s", path.parent, exc)
        partial.unlink(missing_ok=True)


def _prune(folder: Path, kind: str) -> None:
    """Keep the newest `KEEP_PER_KIND` files of `kind`."""
    try:
        files = sorted(
            folder.glob(f"{kind}-*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in files[KEEP_PER_KIND:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # another process pruned at the same time
        log.debug("pruning %s: %s", folder, exc)
