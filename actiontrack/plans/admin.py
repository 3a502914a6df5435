from django.contrib import admin

from actiontrack.people.admin import ReadOnlyAdmin

from .models import JournalEvent


@admin.register(JournalEvent)
class JournalEventAdmin(ReadOnlyAdmin):
    list_display = ["effective_on", "entity_type", "entity_id", "field", "actor_name", "source", "recorded_at"]
    list_filter = ["entity_type", "source", "plan"]
