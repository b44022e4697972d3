"""What every command shares: turning errors meant for the user into a message and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import click

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
