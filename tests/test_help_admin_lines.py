"""`/hilfe admin` gives each admin command with a one-line plain explanation in the admin's
language (it had been a bare list of names), and `/hilfe NAME` of an admin command taking
arguments shows an example in words beside its usage line."""

from __future__ import annotations

import re

import pytest

from bot.app import build_router
from bot.i18n import catalogue
from tests.harness import Harness

ROUTER = build_router()
ADMIN = [command for command in ROUTER.unique_commands() if command.admin]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_each_admin_command_has_a_line_with_what_it_does(bot: Harness, lang: str) -> None:
    await bot.send("admin", f"/language {lang}")
    block = (await bot.send("admin", "/hilfe admin")).text
    lines = block.splitlines()
    for command in ADMIN:
        name = command.name_in(lang)
        [line] = [line for line in lines if line.startswith(f"/{name} – ")]
        explanation = line.split(" – ", 1)[1]
        assert len(explanation) <= 80 and "/" not in explanation, line
        assert "=" not in explanation and "<" not in explanation, line
    learn = "/lernen – " if lang == "de" else "/learn – "
    assert any(line.startswith(learn) for line in lines), block


@pytest.mark.parametrize(
    ("lang", "asked", "example"),
    [
        ("de", "/hilfe lernen", "Zum Beispiel: /lernen 12 anfahrt – "),
        ("en", "/help learn", "For example: /learn 12 directions – "),
        ("de", "/hilfe weiterleiten", "Zum Beispiel: /weiterleiten "),
        ("en", "/help answer", "For example: /answer "),
    ],
)
async def test_an_admin_command_with_arguments_shows_an_example_in_words(
    bot: Harness, lang: str, asked: str, example: str
) -> None:
    await bot.send("admin", f"/language {lang}")
    said = (await bot.send("admin", asked)).text
    assert example in said, said


def test_every_admin_command_with_arguments_has_an_example_in_both_languages() -> None:
    for lang in ("de", "en"):
        texts = catalogue(lang)
        for command in ADMIN:
            if not any(param.required for param in command.params):
                continue
            example = texts.get(f"help.example.{command.name}", "")
            assert re.match(rf"/{command.name_in(lang)} \S.* – \S", example), (lang, command.name)
