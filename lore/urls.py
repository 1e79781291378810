from django.urls import path

from lore import views

app_name = "lore"
urlpatterns = [
    path("", views.landing, name="index"),
    path("people/", views.people_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("places/", views.places_list, name="places"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
]
