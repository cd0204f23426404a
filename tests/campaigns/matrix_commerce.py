"""Commerce endpoints in the permission matrix."""

COMMERCE_ENDPOINTS = []
