"""Ads and commerce pages: the brand's (under /w/<eid>/), the employee's (under /m/), the staff console's
(under /platform/)."""

from .views import ads, campaign_detail, commerce, platform, rights

brand_patterns = [
    *ads.brand_urlpatterns,
    *campaign_detail.brand_urlpatterns,
    *rights.brand_urlpatterns,
    *commerce.brand_urlpatterns,
]
employee_patterns = commerce.employee_urlpatterns
platform_patterns = platform.urlpatterns
