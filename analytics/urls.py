"""Analytics pages: the brand's (under /w/<eid>/) and the employee's (under /m/)."""

from .views import data_urls, incentives_urls, race_urls

brand_patterns = [*data_urls.brand_urlpatterns, *incentives_urls.brand_urlpatterns, *race_urls.brand_urlpatterns]
employee_patterns = [
    *data_urls.employee_urlpatterns,
    *incentives_urls.employee_urlpatterns,
    *race_urls.employee_urlpatterns,
]
