"""Fakes of the platforms' servers for tests and benchmarks."""

import os

# PTB 22 warns on every RetryAfter unless retry_after is opted in as a timedelta; the warning
# would be an error under pytest's filterwarnings, and the transport reads it as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")
