"""Binding pages: the brand's (mounted under /w/<eid>/), the employee's mobile pages (under /m/) and the staff
console (under /platform/)."""

from .views import audit, brand, employee, notifications, platform

brand_patterns = brand.urlpatterns + notifications.brand_urlpatterns + audit.urlpatterns
employee_patterns = employee.urlpatterns + notifications.employee_urlpatterns
platform_patterns = platform.urlpatterns + notifications.platform_urlpatterns
agency_patterns = notifications.agency_urlpatterns
