"""The app as gunicorn serves it, plus the two floors the load benchmark measures beside it (bench/urls.py): an
empty view and a signed-in page that shows nothing of its own."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
