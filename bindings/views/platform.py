"""Binding pages (platform). Mounted by bindings/urls.py."""

urlpatterns = []
