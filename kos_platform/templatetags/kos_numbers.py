"""Counts as people read them: `{% load kos_numbers %}{{ account.followers|follower_count }}`."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()

# Below this a count shows whole, with thousands separators (9,876); from it on, abbreviated.
ABBREVIATE_FROM = 10_000
# The units of each language, smallest first: Chinese counts in 万 (10⁴) and 亿 (10⁸), English in K, M, B.
CHINESE_UNITS = ((10**4, "万"), (10**8, "亿"))
ENGLISH_UNITS = ((10**3, "K"), (10**6, "M"), (10**9, "B"))
TENTH = Decimal("0.1")


def short_count(count: int, language: str | None = None) -> str:
    """9,876 · 1.2万 / 12.3K · 25万 / 250K: one decimal at most, rounded half up, none when it is 0."""
    if count < ABBREVIATE_FROM:
        return f"{count:,}"
    units = CHINESE_UNITS if (language or get_language() or "zh-hans").startswith("zh") else ENGLISH_UNITS
    index = max(i for i, (size, _suffix) in enumerate(units) if count >= size)
    value = (Decimal(count) / units[index][0]).quantize(TENTH, rounding=ROUND_HALF_UP)
    # 99,999,999 is 1亿, not 10000.0万.
    if index + 1 < len(units) and value * units[index][0] >= units[index + 1][0]:
        index += 1
        value = (Decimal(count) / units[index][0]).quantize(TENTH, rounding=ROUND_HALF_UP)
    text = f"{value:f}".removesuffix(".0")
    return f"{text}{units[index][1]}"


@register.filter
def follower_count(count) -> str:
    """A follower count in the reader's language: 8,765 · 1.2万 (12.3K) · 25万 (250K)."""
    if count is None or count == "":
        return "—"
    try:
        return short_count(int(count))
    except (TypeError, ValueError):
        return str(count)
