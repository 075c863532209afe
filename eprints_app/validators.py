"""Field validators shared by models and forms."""

import datetime
import re

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage

PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ORCID_RE = re.compile(r"^(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$")


def validate_partial_date(value: str) -> None:
    """A year ("2021"), a year and month ("2021-03") or a full date ("2021-03-29")."""
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        raise ValidationError(
            "Enter a year (2021), a year and month (2021-03) or a full date (2021-03-29).",
            code="invalid_date",
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(f"{value} is not a date in the calendar.", code="invalid_date") from None


def orcid_check_digit(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    """An ORCID iD as 0000-0002-1825-0097, with a valid check digit."""
    match = ORCID_RE.match(value or "")
    if not match:
        raise ValidationError(
            "Enter an ORCID iD as sixteen characters in four groups: 0000-0002-1825-0097.",
            code="invalid_orcid",
        )
    digits = "".join(match.groups())
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            f"{value} is not a valid ORCID iD: its check digit is wrong.", code="invalid_orcid"
        )


def validate_storable_file_name(name: str) -> None:
    """An upload's name from which the storage can make a stored name: one with a letter, a digit
    or one of "-", "_" and "." besides the dots of "." and ".." (not only emoji, symbols or spaces)."""
    try:
        default_storage.get_valid_name(name)
    except SuspiciousFileOperation:
        raise ValidationError(
            f"The file name {name!r} has no letter or digit: rename the file (for example to "
            "paper.pdf) and upload it again.",
            code="bad_name",
        ) from None
