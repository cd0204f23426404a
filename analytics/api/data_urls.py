"""Filled by the helper building this part."""

urlpatterns = []
