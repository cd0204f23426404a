"""Binding pages: the brand's (mounted under /w/<eid>/), the employee's mobile pages (under /m/) and the staff
console (under /platform/)."""

from .views import brand, employee, platform

brand_patterns = brand.urlpatterns
employee_patterns = employee.urlpatterns
platform_patterns = platform.urlpatterns
