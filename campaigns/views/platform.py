"""The staff console's ad settings page."""

urlpatterns = []
