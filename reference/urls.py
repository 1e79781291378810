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
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/thanks/", views.survey_thanks, name="survey_thanks"),
]
