from django.urls import path

from lutsk_cbs import views as portal_views

app_name = "egov"

# Until the app's own pages land, its address shows where to go in person.
urlpatterns = [
    path("", portal_views.section, {"section": "egov"}, name="index"),
]
