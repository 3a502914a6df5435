"""API tokens in the Django admin, read-only: people create and revoke their own on their account page. The
hash is not shown; the token itself is stored nowhere."""

from django.contrib import admin

from actiontrack.people.admin import ReadOnlyAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    exclude = ["token_hash"]
