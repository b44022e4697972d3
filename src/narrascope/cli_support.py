"""What every command shares: turning errors meant for the user into a message and exit code 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar, cast

import click

from narrascope.config import Settings
from narrascope.errors import NarrascopeError

F = TypeVar("F", bound=Callable[..., Any])


def run_safely(job: Callable[[], Any]) -> Any:
    try:
        return job()
    except NarrascopeError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


def user_errors(fn: F) -> F:
    """Decorate a command so that a NarrascopeError ends it with a message and exit code 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return run_safely(lambda: fn(*args, **kwargs))

    return cast(F, wrapper)


def print_json(obj: object) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def settings_from(obj: dict[str, Any]) -> Settings:
    """The settings for a command of the `main` group (its --db option)."""
    return Settings(db=obj["db"]) if obj.get("db") else Settings()


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form",
                                 param_hint=option) from exc


def printable(text: str | None, limit: int = 0) -> str:
    """Untrusted text for a terminal: control characters (escape sequences) become spaces,
    whitespace runs one space, and at most `limit` characters (0: no limit)."""
    if not text:
        return ""
    clean = " ".join("".join(" " if ord(c) < 32 or 127 <= ord(c) < 160 else c
                             for c in text).split())
    return clean if not limit or len(clean) <= limit else clean[: limit - 1] + "…"
