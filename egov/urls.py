from django.urls import path

from egov import views

app_name = "egov"

urlpatterns = [
    path("", views.index, name="index"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("help/", views.help_request, name="help_request"),
    path("help/thanks/", views.help_thanks, name="help_thanks"),
    path("slots/", views.slot_list, name="slots"),
    path("slots/<int:pk>/", views.slot_book, name="slot_book"),
    path("bookings/<str:token>/", views.booking_detail, name="booking_detail"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<str:token>/calendar.ics", views.booking_calendar, name="booking_calendar"),
]
