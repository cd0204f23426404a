"""Binding pages: the brand's (under /w/<eid>/), the employee's mobile pages (under /m/) and the staff console
(under /platform/)."""

from django.urls import path  # noqa: F401

brand_patterns = []
employee_patterns = []
platform_patterns = []
