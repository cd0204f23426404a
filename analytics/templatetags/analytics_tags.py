"""Figures on the data pages: `{{ value|figure }}` short (1.2万 / 12.3K, ¥3.4万), `{{ value|exact_figure }}` whole
(12,345 · ¥12,345.60), `{{ card.change|change_text }}` (+12.5% · −3.0% · N/A) and `{{ rate|rate_percent }}`."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from kos_platform.templatetags.kos_numbers import ABBREVIATE_FROM, short_count

register = template.Library()


@register.filter
def figure(value) -> str:
    """A count as people read it (9,876 · 1.2万); money (a Decimal) as yuan, abbreviated the same way from ¥10,000."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        sign = "−" if value < 0 else ""
        amount = abs(value)
        if amount >= ABBREVIATE_FROM:
            return f"{sign}¥{short_count(int(amount))}"
        return f"{sign}¥{amount:,.2f}"
    return short_count(int(value))


@register.filter
def exact_figure(value) -> str:
    """The whole figure: 12,345 or ¥12,345.60."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{'−' if value < 0 else ''}¥{abs(value):,.2f}"
    return f"{int(value):,}"


@register.filter
def change_text(change) -> str:
    """A change in per cent with its sign; N/A when there is nothing to compare with."""
    if change is None:
        return _("N/A")
    if change > 0:
        return f"+{change}%"
    if change < 0:
        return f"−{abs(change)}%"
    return "0.0%"


@register.filter
def rate_percent(rate) -> str:
    """A rate stored as a fraction (0.2214) as a percentage (22.1%); unknown is a dash."""
    if rate is None or rate == "":
        return "—"
    return f"{Decimal(rate) * 100:.1f}%"
