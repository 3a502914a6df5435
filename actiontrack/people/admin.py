"""Django admin is for superusers only, and never a way round the journal: roles, posts, holdings and plans
are changed through the services (the Administration pages); here they are read-only."""

from django.contrib import admin

from .models import PlanRole, Post, PostHolding


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


@admin.register(PlanRole)
class PlanRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "plan", "role"]
    list_filter = ["role", "plan"]
