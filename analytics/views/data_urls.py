"""Filled by the helper building this part."""

brand_urlpatterns = []
employee_urlpatterns = []
