"""Shared fixtures. The Synapse fixtures live in tests/conftest_synapse.py."""

from tests.conftest_synapse import *  # noqa: F403
