from django.urls import path

from news import feeds, posters, views

app_name = "news"
urlpatterns = [
    path("", views.news_list, name="index"),
    path("press/", views.press_list, name="press"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("feed/", feeds.NewsFeed(), name="feed"),
    path("poster/event/<int:pk>/", posters.event_poster, name="poster_event"),
    path("poster/guide/<slug:slug>/", posters.guide_poster, name="poster_guide"),
]
