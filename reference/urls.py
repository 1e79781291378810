from django.urls import path

from reference import views

app_name = "reference"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("thanks/", views.thanks, name="thanks"),
    path("answers/", views.answers, name="answers"),
    path(
        "feedback/consultation/<str:token>/",
        views.consultation_feedback,
        name="consultation_feedback",
    ),
    path("feedback/<str:kind>/<int:object_id>/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
