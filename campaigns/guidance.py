"""C04: the deck's guidance for each goal (目标明确的投放策略) — strategy, content advice, audiences, keyword types and
the feed / search budget split."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Goal, KeywordType, Objective


@dataclass(frozen=True)
class GoalGuide:
    goal: Goal
    feed_share: Decimal
    strategy: Promise
    content_advice: Promise
    audiences: Promise
    keyword_types: tuple[KeywordType, ...]
    objective: Objective  # the objective the wizard proposes


GUIDES = {
    Goal.SEED_POTENTIAL: GoalGuide(
        Goal.SEED_POTENTIAL,
        Decimal("0.70"),
        _("Pick the content, then amplify it with paid traffic."),
        _("Experience sharing, industry insights."),
        _(
            "Brand searchers, brand followers, category seeding audiences; same-category interest and similar-product "
            "searchers; local-life, parenting and home interest audiences."
        ),
        (
            KeywordType.BRAND,
            KeywordType.BRAND_PRODUCT,
            KeywordType.CATEGORY,
            KeywordType.COMPETITOR_CATEGORY,
            KeywordType.SCENARIO,
            KeywordType.COMPETITOR,
        ),
        Objective.PRODUCT_SEEDING,
    ),
    Goal.CONVERT_LEADS: GoalGuide(
        Goal.CONVERT_LEADS,
        Decimal("0.50"),
        _("Turn interested users into customers."),
        _("Show good reviews, make the value stand out."),
        _("Keyword interest audiences, keyword behaviour audiences, DMP audience packages."),
        (KeywordType.CORE_BUSINESS, KeywordType.INDUSTRY_DEMAND),
        Objective.LEAD_COLLECTION,
    ),
    Goal.RETAIN_CORE: GoalGuide(
        Goal.RETAIN_CORE,
        Decimal("0.20"),
        _("Keep the core audience and bring repeat purchases."),
        _("Carry the campaign's offers and benefits through."),
        _("The brand's first-party audience data, people aware of the product, people the brand has seeded."),
        (KeywordType.BRAND, KeywordType.CATEGORY),
        Objective.PRODUCT_SALES,
    ),
}
