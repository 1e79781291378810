from django.urls import path

from events import feeds, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="index"),
    path("<int:year>/<int:month>/", views.event_month, name="month"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("registration/<str:token>/", views.registration_detail, name="registration"),
    path(
        "registration/<str:token>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("feed/", feeds.NewEventsFeed(), name="feed"),
    path("calendar.ics", views.calendar_all, name="ical"),
    path("calendar/<slug:slug>.ics", views.calendar_branch, name="ical_branch"),
    path("clubs/", views.club_list, name="clubs"),
    path("clubs/<slug:slug>/", views.club_detail, name="club"),
    path("clubs/<slug:slug>/join/", views.club_join, name="club_join"),
    path("clubs/membership/<str:token>/", views.membership_detail, name="membership"),
    path("clubs/membership/<str:token>/leave/", views.membership_leave, name="membership_leave"),
    path("clubs/<slug:slug>/calendar.ics", views.calendar_club, name="ical_club"),
]
