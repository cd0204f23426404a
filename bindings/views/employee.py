"""Binding pages (employee). Mounted by bindings/urls.py."""

urlpatterns = []
