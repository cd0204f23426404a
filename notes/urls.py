"""Note pages: the brand's (mounted under /w/<eid>/) and the staff console's (under /platform/)."""

from .views import brand, platform

brand_patterns = brand.urlpatterns
platform_patterns = platform.urlpatterns
