from django.urls import path

from catalog import feeds, views

app_name = "catalog"
urlpatterns = [
    path("", views.search, name="search"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("new/", views.new_arrivals_list, name="new"),
    path("new/feed/", feeds.NewArrivalsFeed(), name="new_feed"),
    path("new/<slug:slug>/", views.new_arrivals_list, name="new_branch"),
    path("new/<slug:slug>/feed/", feeds.BranchNewArrivalsFeed(), name="new_branch_feed"),
    path("local-lore/search/", views.local_lore, name="local_lore"),
    path("resources/", views.resources, name="resources"),
    path("opensearch.xml", views.opensearch_description, name="opensearch"),
    path("search.atom", feeds.SearchResultsFeed(), name="search_feed"),
    path("suggestions/", views.opensearch_suggestions, name="suggestions"),
    path("autocomplete/", views.autocomplete_view, name="autocomplete"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/thanks/", views.suggest_thanks, name="suggest_thanks"),
    path("staff/unsatisfied/", views.unsatisfied_report, name="unsatisfied"),
]
