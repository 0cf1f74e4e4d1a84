import pytest

from bot.app import build_router
from bot.errors import UserError
from bot.flood import FloodLimiter, FloodVerdict
from bot.router import Command, Param, parse_args, split_command


async def _noop(*_args: object) -> None:
    return None


def test_commands_on_every_platform() -> None:
    assert split_command("/join 12") == ("join", "12")
    assert split_command("!join 12") == ("join", "12")
    assert split_command("/join@RewimetBot 12") == ("join", "12")
    assert split_command("Wann ist /join?") is None
    assert split_command("/") is None


def test_typed_arguments() -> None:
    command = Command("answer", _noop, "help.help", (Param("n", "int"), Param("text")))
    args = parse_args(command, "#7 Die Antwort")
    assert args.int("n") == 7 and args.text("text") == "Die Antwort"
    with pytest.raises(UserError) as error:
        parse_args(command, "sieben Antwort")
    assert error.value.key == "errors.bad_number"
    with pytest.raises(UserError) as missing:
        parse_args(command, "")
    assert missing.value.key == "errors.missing_argument"


def test_flood_limit_notifies_once_then_recovers() -> None:
    limiter = FloodLimiter(per_minute=60, burst=3)
    verdicts = [limiter.check("a", now=0.0) for _ in range(6)]
    assert verdicts[:3] == [FloodVerdict.ALLOW] * 3
    assert verdicts[3] is FloodVerdict.NOTIFY
    assert verdicts[4:] == [FloodVerdict.DROP] * 2
    assert limiter.check("b", now=0.0) is FloodVerdict.ALLOW
    # Two seconds refill two messages; the notice is not repeated while the flood goes on.
    assert [limiter.check("a", now=2.0) for _ in range(4)] == [FloodVerdict.ALLOW] * 2 + [
        FloodVerdict.DROP
    ] * 2
    assert limiter.check("a", now=10.0) is FloodVerdict.ALLOW  # refilled: calm again
    for _ in range(2):
        limiter.check("a", now=10.0)
    assert limiter.check("a", now=10.0) is FloodVerdict.NOTIFY  # a new flood, a new notice


def test_a_command_name_says_its_language_when_the_other_has_its_own() -> None:
    commands = build_router().commands
    named = {name: commands[name].language_of(name) for name in commands}
    assert (named["profile"], named["profil"]) == ("en", "de")
    assert (named["events"], named["termine"], named["veranstaltungen"]) == ("en", "de", "de")
    # shared by both languages, or typed to any bot in any language
    assert named["organisation"] is named["org"] is named["start"] is named["help"] is None
