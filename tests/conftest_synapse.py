"""Pytest fixtures around the throwaway Synapse homeserver.

Import them into `tests/conftest.py` (``from tests.conftest_synapse import *  # noqa: F403``) or
list the module in ``pytest_plugins``. The server is started once per session, on first use.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, AsyncClientConfig, SyncResponse

from tests.synapse_server import MatrixAccount, SynapseServer

__all__ = [
    "MatrixAccount",
    "NioClientFactory",
    "SynapseServer",
    "nio_client",
    "nio_client_for",
    "synapse",
    "sync_until",
]

NioClientFactory = Callable[..., Awaitable[AsyncClient]]
_store_counter = itertools.count()


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """A running Synapse on 127.0.0.1, shared by the whole session."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def nio_client_for(
    server: SynapseServer,
    account: MatrixAccount,
    store_dir: Path,
    *,
    encryption: bool = True,
) -> AsyncClient:
    """A matrix-nio client logged in as `account` (restored session, E2EE keys uploaded)."""
    await asyncio.to_thread(store_dir.mkdir, parents=True, exist_ok=True)
    config = AsyncClientConfig(
        encryption_enabled=encryption, store_sync_tokens=False, max_limit_exceeded=0
    )
    client = AsyncClient(
        server.url,
        account.user_id,
        device_id=account.device_id,
        store_path=str(store_dir),
        config=config,
    )
    client.restore_login(account.user_id, account.device_id, account.access_token)
    if encryption and client.should_upload_keys:
        await client.keys_upload()
    return client


@pytest.fixture
async def nio_client(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[NioClientFactory]:
    """Factory for test members: ``alice = await nio_client("alice")`` registers and logs in."""
    clients: list[AsyncClient] = []

    async def make(prefix: str = "member", *, encryption: bool = True, **kw: Any) -> AsyncClient:
        account = await synapse.aregister(synapse.unique_localpart(prefix), **kw)
        store = tmp_path / f"nio-{account.localpart}-{next(_store_counter)}"
        client = await nio_client_for(synapse, account, store, encryption=encryption)
        client.test_account = account
        # A first sync, so the client knows its rooms and later syncs are incremental.
        await client.sync(timeout=0, full_state=True)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


async def sync_until(
    client: AsyncClient,
    predicate: Callable[[SyncResponse], bool],
    *,
    within: float = 10.0,
    poll_ms: int = 500,
) -> SyncResponse:
    """Sync `client` until `predicate(response)` holds; keeps E2EE keys in step on the way.

    Raises TimeoutError if it does not happen within `within` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        resp = await client.sync(timeout=poll_ms)
        if not isinstance(resp, SyncResponse):
            raise RuntimeError(f"sync failed: {resp}")
        if client.olm is not None:
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())
        if predicate(resp):
            return resp
    raise TimeoutError(f"{client.user_id}: condition not met within {within} s")
