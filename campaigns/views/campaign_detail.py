"""The campaign detail page."""

brand_urlpatterns = []
