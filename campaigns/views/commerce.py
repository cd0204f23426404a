"""Commerce pages."""

brand_urlpatterns = []
employee_urlpatterns = []
