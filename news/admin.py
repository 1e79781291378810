"""Staff side of news: a librarian writes and publishes their own library's items; network
items (no library) are the methodologists'. Status changes go through the service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedAdminMixin
from core.admin import TranslatedAdmin
from news import services
from news.models import NewsItem, NewsPhoto


class NewsPhotoInline(admin.TabularInline):
    model = NewsPhoto
    extra = 0


@admin.register(NewsItem)
class NewsItemAdmin(BranchScopedAdminMixin, TranslatedAdmin):
    list_display = ["title", "kind", "branch", "status", "published_at"]
    list_filter = ["status", "kind", "branch"]
    list_select_related = ["branch"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-pk"]
    readonly_fields = ["status", "created_at", "updated_at"]
    fields = [
        "title",
        "kind",
        "branch",
        "lead",
        "body",
        "published_at",
        "status",
        "created_at",
        "updated_at",
    ]
    inlines = [NewsPhotoInline]
    actions = ["publish", "unpublish"]

    def _transition(self, request, queryset, status, done_message):
        done = 0
        for item in queryset:
            try:
                services.news_item_transition(item=item, status=status, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{item}: {error.messages[0]}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Опублікувати"), permissions=["change"])
    def publish(self, request, queryset):
        self._transition(
            request, queryset, NewsItem.Status.PUBLISHED, gettext("Опубліковано: %(count)s.")
        )

    @admin.action(description=_("Зняти з публікації"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._transition(
            request, queryset, NewsItem.Status.DRAFT, gettext("Знято з публікації: %(count)s.")
        )
