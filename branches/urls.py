from django.urls import path

from branches import views

app_name = "branches"
urlpatterns = [
    path("", views.branch_list, name="list"),
    path("paid-services/", views.paid_services, name="paid_services"),
    path("tours/thanks/", views.tour_thanks, name="tour_thanks"),
    path("tours/<str:token>/", views.tour_detail, name="tour"),
    path("tours/<str:token>/cancel/", views.tour_cancel, name="tour_cancel"),
    path("<slug:slug>/", views.branch_detail, name="detail"),
    path("<slug:slug>/history/", views.branch_history, name="history"),
]
