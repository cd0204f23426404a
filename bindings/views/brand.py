"""Pages: see bindings/urls.py."""
