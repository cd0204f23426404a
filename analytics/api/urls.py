"""The analytics API: the data centre (D01), incentives (D02), the horse race (D03), and the employee's own."""

from . import data_urls, incentives_urls, race_urls

urlpatterns = [*data_urls.urlpatterns, *incentives_urls.urlpatterns, *race_urls.urlpatterns]
