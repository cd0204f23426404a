from .account import AdAccount, AdvancedFeatures, AdvancedRightsState, LedgerLine, PlatformSettings
from .campaign import AdSpendDaily, Campaign, CampaignUnit, UnitKeyword, UnitNote
from .commerce import CommissionLine, CommissionSettings, CommissionSettlement, Order, Product

__all__ = [
    "AdAccount",
    "AdSpendDaily",
    "AdvancedFeatures",
    "AdvancedRightsState",
    "Campaign",
    "CampaignUnit",
    "CommissionLine",
    "CommissionSettings",
    "CommissionSettlement",
    "LedgerLine",
    "Order",
    "PlatformSettings",
    "Product",
    "UnitKeyword",
    "UnitNote",
]
