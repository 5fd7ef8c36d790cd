"""Facts checked against the policy: what a load found that the policy does
not declare (F04xx, docs/facts.md), as the engine returns it."""

from __future__ import annotations

import json
from typing import Iterable, Optional

from ._errors import place_prefix


class FactFinding:
    """A fact naming what the policy does not declare (``F0401``–``F0407``).

    ``code`` and ``message`` (with a "did you mean" when a declared name is
    close); where it is: ``file``, ``line``, ``column`` for a file (``file``
    is ``"facts"``, ``"facts[1]"`` or ``"updates"`` for a dict or a list),
    ``record`` — the index of the record in the list it was given in, or in
    its ``section`` of a fact document (``"grants"``) — for dicts and lists,
    and none of them for the facts in service or a database's rows (the
    message names the record, and the row). ``warning``: loaded anyway
    (``facts_check="warn"``), else the reason a load was refused."""

    __slots__ = ("code", "message", "file", "line", "column", "section", "record", "warning")

    def __init__(
        self,
        code: str,
        message: str,
        file: str = "",
        line: int = 0,
        column: int = 0,
        section: Optional[str] = None,
        record: Optional[int] = None,
        warning: bool = True,
    ) -> None:
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.section = section
        self.record = record
        self.warning = warning

    def __str__(self) -> str:
        kind = "warning" if self.warning else "error"
        return f"{place_prefix(self.file, self.line, self.column)}{kind}[{self.code}]: {self.message}"

    def __repr__(self) -> str:
        place = f" {self.section or ''}[{self.record}]" if self.record is not None else ""
        return f"<FactFinding {self.code}{place} {self.message!r}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactFinding):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class FactFindings(list):
    """The findings of one check: at most 100 of them, ``total`` counts all."""

    def __init__(self, items: Iterable[FactFinding] = (), total: int = 0) -> None:
        super().__init__(items)
        self.total = total


def _finding(d: dict) -> FactFinding:
    return FactFinding(
        d["code"], d["message"], d["file"], d["line"], d["column"], d["section"], d["record"], d["warning"]
    )


def _from_json(text: str) -> FactFindings:
    """The engine's findings JSON ({"findings": [...], "total": N})."""
    d = json.loads(text)
    return FactFindings((_finding(f) for f in d["findings"]), d["total"])
