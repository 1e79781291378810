from django.urls import path

from strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<slug:slug>/", views.plan_dashboard, name="plan"),
    path(
        "plans/<slug:slug>/directions/<int:number>/",
        views.direction_detail,
        name="direction",
    ),
    path("plans/<slug:slug>/libraries/<slug:library>/", views.library_detail, name="library"),
    path("reports/", views.report, name="report"),
    path("reports/enter/", views.report_entry, name="report_entry"),
    path("reports/print/", views.report_print, name="report_print"),
    path("reports/6-nk.xlsx", views.report_xlsx, name="report_xlsx"),
]
