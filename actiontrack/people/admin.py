"""Django admin is for superusers only, and never a way round the journal: roles, posts, holdings and plans
are changed through the services (the Administration pages); here they are read-only."""

from django.contrib import admin

from actiontrack.core.admin import ReadOnlyAdmin

from .models import Post, PostHolding


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["name", "aliases"]


@admin.register(PostHolding)
class PostHoldingAdmin(ReadOnlyAdmin):
    list_display = ["post", "holder_name", "user", "starts_on", "ends_on"]
