"""How a person wants each kind of notification by email."""

from django.db import models


class EmailWhen(models.TextChoices):
    DIGEST = "digest", "In the daily email"
    AT_ONCE = "at_once", "By email at once"
    OFF = "off", "Not by email"
