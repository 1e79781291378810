from django.urls import path

from digital import views

app_name = "digital"
urlpatterns = [
    path("", views.document_list, name="index"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/page/<int:number>/", views.page_view, name="page"),
]
