"""Errors a user can act on: each says what input, what went wrong, and what to do."""

from __future__ import annotations


class NarrascopeError(Exception):
    """An error with a message meant for the user; the CLI prints it and exits 2."""


class InputError(NarrascopeError):
    """One input (file, line, URL) could not be read; others in the batch go on."""

    def __init__(self, input_name: str, reason: str) -> None:
        super().__init__(f"{input_name}: {reason}")
        self.input_name = input_name
        self.reason = reason
