from django.contrib import admin

from actiontrack.core.admin import ReadOnlyAdmin

from .models import PlanRole


@admin.register(PlanRole)
class PlanRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "plan", "role"]
    list_filter = ["role", "plan"]
