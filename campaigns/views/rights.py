"""The advanced rights page."""

brand_urlpatterns = []
