from django.urls import path

from spaces import views

app_name = "spaces"

urlpatterns = [
    path("", views.index, name="index"),
    path("bookings/<str:token>/", views.booking_detail, name="booking_detail"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("<slug:slug>/", views.day, name="day"),
    path("<slug:slug>/<int:resource_id>/book/", views.book, name="book"),
]
