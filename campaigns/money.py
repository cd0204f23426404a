"""Money as it enters: a decimal string (or a whole number) of yuan with at most two places, never a float."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from notes.ingest import RowErrors

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(value) -> tuple[Decimal | None, str | None]:
    """(amount, None) or (None, message). A float is refused: it cannot say "0.10" exactly."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, _('Give the amount as a decimal string, e.g. "100.00".')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None, _("Not an amount.")
    if not amount.is_finite():
        return None, _("Not an amount.")
    if amount != amount.quantize(CENT):
        return None, _("At most two decimal places (yuan and fen).")
    if abs(amount) > MAX_AMOUNT:
        return None, _("The amount is too large.")
    return amount.quantize(CENT), None


def row_amount(
    errors: RowErrors, index: int, row: dict, field: str, *, minimum: Decimal = Decimal(0)
) -> Decimal | None:
    """A row's amount of at least `minimum`, or None with the row's error."""
    value = row.get(field)
    if value is None:
        errors.add(index, field, _("This field is required."))
        return None
    amount, message = parse_amount(value)
    if message:
        errors.add(index, field, message)
        return None
    if amount < minimum:
        errors.add(index, field, _("Must be at least %(min)s.") % {"min": minimum})
        return None
    return amount
