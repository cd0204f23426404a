"""Binding pages (brand). Mounted by bindings/urls.py."""

urlpatterns = []
