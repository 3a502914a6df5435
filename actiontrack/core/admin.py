"""Django admin is for superusers only, and never a way round the journal: everything is changed through the
services (the Administration pages); here it is read-only."""

from django.contrib import admin

from .models import JournalEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JournalEvent)
class JournalEventAdmin(ReadOnlyAdmin):
    list_display = ["effective_on", "entity_type", "entity_id", "field", "actor_name", "source", "recorded_at"]
    list_filter = ["entity_type", "source", "plan"]
