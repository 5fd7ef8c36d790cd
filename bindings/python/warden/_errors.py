"""Warden's exceptions. Every one carries a stable code (docs/diagnostics.md,
docs/facts.md) and, for input, where in it the problem is."""

from __future__ import annotations

from typing import Optional


def place_prefix(file: str, line: int, column: int) -> str:
    """``"facts.jsonl:3:7: "``, as much of it as is known, or ``""``."""
    where = file
    if line:
        where = f"{where}:{line}" if where else str(line)
        if column:
            where += f":{column}"
    return f"{where}: " if where else ""


class WardenError(Exception):
    """Base class: ``code`` (``E0503``, ``F0104``, ...), ``message`` and the
    place (``file``, ``line``, ``column``; empty or 0 when not known)."""

    def __init__(self, code: str, message: str, file: str = "", line: int = 0, column: int = 0) -> None:
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        return f"{place_prefix(self.file, self.line, self.column)}error[{self.code}]: {self.message}"


class PolicyError(WardenError):
    """A policy artifact was refused (truncated, corrupt, foreign: E05xx)."""


class FactsError(WardenError):
    """Facts or a fact update were refused: F01xx input, F03xx changes the
    engine refuses, F04xx names the policy does not declare (with
    ``facts_check="refuse"``). ``record`` (and ``section`` for a fact
    document) place it in a list or a dict given in memory; ``findings``
    lists every F04xx reason (a ``warden.FactFindings``, empty otherwise).
    Nothing was loaded: the facts in service stay."""

    def __init__(
        self,
        code: str,
        message: str,
        file: str = "",
        line: int = 0,
        column: int = 0,
        record: Optional[int] = None,
        section: Optional[str] = None,
        findings: Optional[list] = None,
    ) -> None:
        self.record = record
        self.section = section
        if findings is None:
            from ._findings import FactFindings

            findings = FactFindings()
        self.findings = findings
        super().__init__(code, message, file, line, column)


class RequestError(WardenError, ValueError):
    """A request is malformed (F02xx): a field of the wrong type, unknown, or missing."""


class WatchError(WardenError):
    """Watching files for hot reload could not start."""
