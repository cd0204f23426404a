"""Input checks shared by forms and serializers."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kos_platform.clock import local_today

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """A Chinese resident ID number: 18 characters, a valid birth date, GB 11643 checksum."""
    value = (value or "").strip().upper()
    if not _ID_PATTERN.match(value):
        raise ValidationError(_("An ID number has 18 characters (the last may be X)."), code="id_format")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in the ID number is not valid."), code="id_birth_date") from None
    if birth.year < 1900 or birth > local_today():
        raise ValidationError(_("The birth date in the ID number is not valid."), code="id_birth_date")
    if resident_id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong."), code="id_checksum")
