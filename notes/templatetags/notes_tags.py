"""Number formats of the note pages: grouped thousands as the deck shows them (91,091) in either language."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """An integer with thousands separators; anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return "" if value is None else str(value)
    return f"{value:,}"


@register.filter
def percent(value) -> str:
    """A rate stored as a fraction (0.2214) as a percentage (22.14%); nothing known is a dash."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.2f}%"
