"""Who has turned reminders off, and which digests went when, in the Django admin, read-only."""

from django.contrib import admin

from actiontrack.people.admin import ReadOnlyAdmin

from .models import ReminderPreference, ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["sent_on", "user", "address", "summary", "sent_at"]
    list_filter = ["sent_on"]
    search_fields = ["user__username", "address"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "enabled", "updated_at"]
    list_filter = ["enabled"]
