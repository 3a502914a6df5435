"""The app as gunicorn serves it, plus the empty view the load benchmark uses as its floor (bench/urls.py)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
