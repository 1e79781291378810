from django.urls import path

from circulation import views

app_name = "circulation"

urlpatterns = [
    path("hold/<int:pk>/", views.hold_place_view, name="hold_place"),
]
