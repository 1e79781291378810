from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.me, name="me"),
    path("card/", views.card, name="card"),
    path("data.json", views.data_export, name="data"),
    path("close/", views.close, name="close"),
]
