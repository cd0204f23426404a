"""Money on the ads and commerce pages: ¥1,234.50 in either language."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """A Decimal (or its text) as yuan with grouped thousands and two places; a negative amount as −¥12.30."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "−" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def share(value) -> str:
    """A fraction as a whole percentage (0.70 → 70%)."""
    return f"{Decimal(value) * 100:.0f}%"


@register.filter
def search_share(feed_share) -> str:
    """C04: the search share that goes with a feed share (0.70 → 30%)."""
    return share(1 - Decimal(feed_share))
