from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_thanks, name="apply_thanks"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("home-delivery/", views.delivery, name="delivery"),
    path("home-delivery/thanks/", views.delivery_thanks, name="delivery_thanks"),
    path("me/<str:token>/", views.me, name="me"),
    path("me/<str:token>/sign-up/<int:pk>/", views.sign_up, name="sign_up"),
    path("me/<str:token>/cancel/<int:pk>/", views.cancel, name="cancel"),
    path("me/<str:token>/certificate/", views.certificate, name="certificate"),
]
