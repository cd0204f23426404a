"""激励活动 pages: the brand's under /w/<eid>/, the employee's 我的激励 under /m/."""

from django.urls import path

from .incentives import IncentivesPage, MyIncentivesPage, PeriodPage

brand_urlpatterns = [
    path("incentives/", IncentivesPage.as_view(), name="analytics-incentives"),
    path("incentives/<int:period_id>/", PeriodPage.as_view(), name="analytics-incentive-period"),
]
employee_urlpatterns = [path("incentives/", MyIncentivesPage.as_view(), name="employee-incentives")]
