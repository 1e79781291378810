from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from catalog.protocols.views import oai_view, sru_view
from core.admin import (
    admin_changelists_bound,
    admin_deletions_without_link_rows,
    admin_lists_editable_labelled,
)
from core.admin_views import view_on_site
from lutsk_cbs import sitemaps, views
from lutsk_cbs.api import router
from lutsk_cbs.sitemaps import SITEMAPS

admin.site.site_header = _("ЦБС м. Луцька — робоче місце бібліотекаря")
admin.site.site_title = _("ЦБС Луцька")
admin.site.index_title = _("Керування")
admin_changelists_bound(admin.site)
admin_deletions_without_link_rows(admin.site)
admin_lists_editable_labelled(admin.site)

urlpatterns = [
    # In front of the admin's own «view on site» shortcut, which asks no one (core.admin_views).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # A page, not an API: DRF's OPTIONS answer has no template to render it (a 500).
        SpectacularSwaggerView.as_view(url_name="api-schema", http_method_names=["get", "head"]),
        name="api-docs",
    ),
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Library protocols: one address each, whatever the reader's language (catalog.protocols).
    path("oai", oai_view, name="oai"),
    path("sru", sru_view, name="sru"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

# Ukrainian lives at the root, English under /en/: each language has a URL to share.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.portal_search, name="search"),
    path("branches/", include("branches.urls")),
    # The local-lore section (people, places, articles) in front of the catalogue, whose
    # search of the local-lore collection it leads to (/catalog/local-lore/search/).
    path("catalog/local-lore/", include("lore.urls")),
    path("catalog/", include("catalog.urls")),
    path("events/", include("events.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("e-services/", include("egov.urls")),
    path("ask/", include("reference.urls")),
    path("news/", include("news.urls")),
    path("digital/", include("digital.urls")),
    path("spaces/", include("spaces.urls")),
    path("strategy/", include("strategy.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    # Lending: holds (/lending/), the circulation desk (/desk/), the reader's /me/loans/.
    path("", include("circulation.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
