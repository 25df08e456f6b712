"""The one finding type that every check reports, so every layer prints the same way."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one file, at a 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0
    severity: str = ERROR
    rule: str = ""
    message: str = ""
    expected: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.expected:
            text += f" (expected: {', '.join(self.expected)})"
        return text

    def as_dict(self) -> dict:
        data = asdict(self)
        data["expected"] = list(self.expected)
        return data


class FindingError(Exception):
    """Raised by a stage that cannot go on; carries the finding to print."""

    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding
