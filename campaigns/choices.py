from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    """What moved the ad account's balance (E05)."""

    RECHARGE = "recharge", _("Recharge")
    BOOST = "boost", _("Content boost")
    SPEND = "spend", _("Ad spend")


class Objective(models.TextChoices):
    """C01: what a campaign is for."""

    PRODUCT_SEEDING = "product_seeding", _("Product seeding")
    CATEGORY_CAPTURE = "category_capture", _("Category capture")
    PRODUCT_SALES = "product_sales", _("Product sales")
    LEAD_COLLECTION = "lead_collection", _("Lead collection")


class Placement(models.TextChoices):
    """C01: where a campaign's ads run."""

    FEED = "feed", _("Feed")
    SEARCH = "search", _("Search")
    VIDEO_FEED = "video_feed", _("Video feed")
    SMART_ALL = "smart_all", _("Smart placement (all)")


class CampaignStatus(models.TextChoices):
    """What the user set (C01 decision): draft → active ⇄ paused → ended."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class PauseReason(models.TextChoices):
    USER = "user", _("Paused by the user")
    BALANCE_EXHAUSTED = "balance_exhausted", _("Paused: the ad account ran out of balance")


class Delivery(models.TextChoices):
    """What is true of a campaign now, derived from facts at read time, in the order ad platforms weigh them."""

    DRAFT = "draft", _("Not started (draft)")
    ENDED = "ended", _("Ended")
    NOT_STARTED = "not_started", _("Scheduled: the start date is ahead")
    ENDED_BY_DATE = "ended_by_date", _("Finished: the end date has passed")
    PAUSED = "paused", _("Paused by the user")
    BALANCE_EXHAUSTED = "balance_exhausted", _("Paused: no balance left in the ad account")
    BUDGET_REACHED = "budget_reached", _("Today's spend has reached the daily budget")
    DELIVERING = "delivering", _("Delivering")


class KeywordType(models.TextChoices):
    """C01: the types of search keywords."""

    BRAND = "brand", _("Brand")
    BRAND_PRODUCT = "brand_product", _("Brand + product")
    CATEGORY = "category", _("Category")
    COMPETITOR_CATEGORY = "competitor_category", _("Competitor category")
    SCENARIO = "scenario", _("Scenario")
    COMPETITOR = "competitor", _("Competitor")
    CORE_BUSINESS = "core_business", _("Core business")
    INDUSTRY_DEMAND = "industry_demand", _("Industry demand")
    REGION = "region", _("Region")


class Component(models.TextChoices):
    """C02: what a unit can attach; the last two only while advanced rights are unlocked (C03)."""

    DM = "dm", _("Direct message")
    PRODUCT = "product", _("Product card")
    LEAD_FORM = "lead_form", _("Lead form")
    STORE = "store", _("Store")
    SEARCH = "search", _("Search")
    DIAL_CARD = "dial_card", _("One-click dial card")
    LEAD_CARD = "lead_card", _("Lead card")


ADVANCED_COMPONENTS = (Component.DIAL_CARD, Component.LEAD_CARD)
CLICK_COMPONENTS = (Component.DM, Component.PRODUCT, Component.LEAD_FORM, Component.STORE, Component.SEARCH)


class Goal(models.TextChoices):
    """C04: the three goals of the deck's budget guidance."""

    SEED_POTENTIAL = "seed_potential", _("Seed potential notes")
    CONVERT_LEADS = "convert_leads", _("Convert high-priority notes into leads")
    RETAIN_CORE = "retain_core", _("Retain core customers")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class AgeBand(models.TextChoices):
    UNDER_18 = "lt18", _("Under 18")
    FROM_18 = "18_24", _("18–24")
    FROM_25 = "25_34", _("25–34")
    FROM_35 = "35_44", _("35–44")
    FROM_45 = "gte45", _("45 and over")


class Interest(models.TextChoices):
    BEAUTY = "beauty", _("Beauty & skincare")
    FASHION = "fashion", _("Fashion")
    FOOD = "food", _("Food")
    TRAVEL = "travel", _("Travel")
    HOME = "home", _("Home & living")
    PARENTING = "parenting", _("Parenting")
    FITNESS = "fitness", _("Fitness")
    DIGITAL = "digital", _("Digital & tech")
    PETS = "pets", _("Pets")
    EDUCATION = "education", _("Education")


class Region(models.TextChoices):
    """Targeting regions: the provincial-level divisions of mainland China."""

    BEIJING = "beijing", _("Beijing")
    TIANJIN = "tianjin", _("Tianjin")
    HEBEI = "hebei", _("Hebei")
    SHANXI = "shanxi", _("Shanxi")
    INNER_MONGOLIA = "inner_mongolia", _("Inner Mongolia")
    LIAONING = "liaoning", _("Liaoning")
    JILIN = "jilin", _("Jilin")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")
    SHANGHAI = "shanghai", _("Shanghai")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    ANHUI = "anhui", _("Anhui")
    FUJIAN = "fujian", _("Fujian")
    JIANGXI = "jiangxi", _("Jiangxi")
    SHANDONG = "shandong", _("Shandong")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    GUANGDONG = "guangdong", _("Guangdong")
    GUANGXI = "guangxi", _("Guangxi")
    HAINAN = "hainan", _("Hainan")
    CHONGQING = "chongqing", _("Chongqing")
    SICHUAN = "sichuan", _("Sichuan")
    GUIZHOU = "guizhou", _("Guizhou")
    YUNNAN = "yunnan", _("Yunnan")
    TIBET = "tibet", _("Tibet")
    SHAANXI = "shaanxi", _("Shaanxi")
    GANSU = "gansu", _("Gansu")
    QINGHAI = "qinghai", _("Qinghai")
    NINGXIA = "ningxia", _("Ningxia")
    XINJIANG = "xinjiang", _("Xinjiang")


class OrderChannel(models.TextChoices):
    """C05: where a KOS sold."""

    NOTE = "note", _("In a note")
    DM = "dm", _("Direct message")
    GROUP_CHAT = "group_chat", _("Group chat")
    LIVE = "live", _("Live stream")


class OrderStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")


class CommissionReason(models.TextChoices):
    """Why an order earns no commission (C05 decision)."""

    NONE = "", _("Earns commission")
    BINDING_NOT_ACTIVE = "binding_not_active", _("The binding was frozen or ended when the order was paid")
    NOT_BOUND_HERE = "not_bound_here", _("The account was not bound to this enterprise when the order was paid")


class CommissionKind(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    REFUND = "refund", _("Refund reversal")
    ADJUSTMENT = "adjustment", _("Adjustment")


class StatementStatus(models.TextChoices):
    OPEN = "open", _("Not settled")
    SETTLED = "settled", _("Settled")
