"""Flooding: one member sends 1,000 messages as fast as possible while another asks questions.

Prints JSON: how many of the flood were handled, how many notices the flooder got, and the delay
the other member saw (p50/p95/max), next to the same member's delay without a flood.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.harness import Harness, make_harness

FLOOD = 1000
QUESTIONS = 15  # below the flood burst: a normal member is never throttled


async def ask_repeatedly(bot: Harness, user: str) -> list[float]:
    delays: list[float] = []
    for _ in range(QUESTIONS):
        started = time.perf_counter()
        chat = await bot.send(user, "/profile")
        assert chat.replies, "the other member got no answer"
        delays.append(time.perf_counter() - started)
        await asyncio.sleep(0.01)
    return delays


async def flood(bot: Harness, user: str) -> tuple[int, int]:
    notices = answered = 0
    for index in range(FLOOD):
        chat = await bot.send(user, f"Nachricht {index}")
        answered += bool(chat.replies)
        notices += any("sehr viele Nachrichten" in r.text for r in chat.replies)
    return answered, notices


def summary(delays: list[float]) -> dict[str, float]:
    ordered = sorted(delays)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bot = await make_harness(f"sqlite+aiosqlite:///{tmp}/flood.db")
        for user in ("calm", "quiet", "flooder"):
            await bot.onboard(user)
        await asyncio.sleep(20)  # let the onboarding's burst refill
        calm = await ask_repeatedly(bot, "calm")
        started = time.perf_counter()
        flood_task = asyncio.create_task(flood(bot, "flooder"))
        during = await ask_repeatedly(bot, "quiet")
        answered, notices = await flood_task
        seconds = time.perf_counter() - started
        await bot.app.stop()
    print(
        json.dumps(
            {
                "flood_messages": FLOOD,
                "flood_seconds": round(seconds, 2),
                "flood_answered": answered,
                "flood_notices": notices,
                "other_member_without_flood": summary(calm),
                "other_member_during_flood": summary(during),
                "delay_ratio_p95": round(
                    summary(during)["p95_ms"] / max(summary(calm)["p95_ms"], 0.001), 2
                ),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
