"""Report periods: whole months, from ``?from=YYYY-MM&to=YYYY-MM`` (both included)."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from eprints_app.stats.aggregation import months_between, next_month

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# A longer period would make an Item Report wider than a spreadsheet shows comfortably.
MAX_MONTHS = 120
DEFAULT_MONTHS = 12


class PeriodError(ValueError):
    """A period that cannot be read, with what is wrong in words a reader can act on."""


@dataclass(frozen=True)
class Period:
    first: date  # first day of the first month
    last: date  # first day of the last month

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)

    @property
    def end_date(self) -> date:
        """The period's last day."""
        return date.fromordinal(next_month(self.last).toordinal() - 1)

    @property
    def query(self) -> str:
        return f"from={self.first:%Y-%m}&to={self.last:%Y-%m}"

    def __str__(self) -> str:
        if self.first == self.last:
            return f"{self.first:%B %Y}"
        return f"{self.first:%B %Y} to {self.last:%B %Y}"


def last_months(count: int, today: date | None = None) -> Period:
    """The ``count`` months up to and including this one."""
    last = (today or timezone.localdate()).replace(day=1)
    index = max(last.year * 12 + last.month - 1 - (count - 1), 12)  # not before the year 1
    return Period(date(index // 12, index % 12 + 1, 1), last)


def parse_month(value: str, name: str) -> date:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise PeriodError(f"{name} must be a month written YYYY-MM (such as 2024-03), not {value!r}.")
    return date(int(match[1]), int(match[2]), 1)


def parse_period(params: dict, today: date | None = None) -> Period:
    """The period the query asks for; the last 12 months when it names neither end."""
    default = last_months(DEFAULT_MONTHS, today)
    start, end = params.get("from", ""), params.get("to", "")
    first = parse_month(start, "from") if start else None
    last = parse_month(end, "to") if end else default.last
    if first is None:
        first = last_months(DEFAULT_MONTHS, last).first
    if first > last:
        raise PeriodError(f"The period starts ({first:%Y-%m}) after it ends ({last:%Y-%m}).")
    period = Period(first, last)
    if len(period.months) > MAX_MONTHS:
        raise PeriodError(
            f"A period may span at most {MAX_MONTHS} months; this one spans {len(period.months)}."
        )
    return period
