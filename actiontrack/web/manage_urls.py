"""URLs of the manage pages (see web/manage_views.py)."""

urlpatterns = []
