"""数据中心 under /w/<eid>/ and 我的数据 under /m/."""

from . import data_centre, employee

brand_urlpatterns = data_centre.brand_urlpatterns
employee_urlpatterns = employee.employee_urlpatterns
