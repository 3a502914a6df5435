"""Django admin is for superusers only, and never a way round the journal: posts, holdings and plans are
changed through services; only role grants and read-only views are here."""

from django.contrib import admin

from .models import PlanRole, Post, PostHolding


@admin.register(PlanRole)
class PlanRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "role"]
    list_filter = ["role", "plan"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["name", "aliases"]


@admin.register(PostHolding)
class PostHoldingAdmin(ReadOnlyAdmin):
    list_display = ["post", "holder_name", "user", "starts_on", "ends_on"]
