"""The horse race's page (D03), under /w/<eid>/; no employee page."""

from . import race

brand_urlpatterns = race.brand_urlpatterns
employee_urlpatterns = []
