"""URLs of the administration pages (see web/administration_views.py)."""

urlpatterns = []
