"""Coded errors. Every message starts with its code and says how to fix the problem.

    TidingsError
     ├── InputError      (E0xx) a bad input item: rejected with a reason, the batch goes on
     ├── ModelError      (E1xx) a model or data file is missing
     ├── StoreError      (E2xx) the database cannot be opened or written
     └── UsageError      (E3xx) a bad option or argument given by the user
"""

from __future__ import annotations


class TidingsError(Exception):
    """Base class of tidings' errors."""

    code = "E000"


class InputError(TidingsError):
    """An input item that cannot be read; carries a short machine-readable reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ModelError(TidingsError):
    pass


class StoreError(TidingsError):
    pass


class UsageError(TidingsError):
    pass
