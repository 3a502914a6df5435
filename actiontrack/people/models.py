"""Posts (owner roles such as "Head of Protection") and who held them when."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Post(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # Other spellings seen in real documents ("Head of Protection and Prevention"), one per line.
    aliases = models.TextField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class PostHolding(models.Model):
    """Someone holding a post over a period. Names come from the holding in force on a date."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings")
    holder_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="post_holdings")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["post", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="holding_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.holder_name} ({self.post.name} from {self.starts_on:%d/%m/%Y})"

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class PasswordLinkRequest(models.Model):
    """Someone asked for a password link ("Forgotten your password?"): kept for an hour or so, to throttle asking
    (people/passwords.py) across every app server. The address is hashed, never stored as typed."""

    requested_at = models.DateTimeField(db_index=True)
    client_address = models.CharField(max_length=45)
    email_digest = models.CharField(max_length=64)
    sent = models.BooleanField(default=False)  # a link went to the address's accounts

    class Meta:
        indexes = [models.Index(fields=["email_digest", "requested_at"])]

    def __str__(self):
        return f"Password link asked for from {self.client_address} at {self.requested_at:%d/%m/%Y %H:%M}"


class SignInIdentity(models.Model):
    """An account's identity at a single sign-on provider: the provider's stable id for the person (Entra ID's
    `oid`, otherwise the `sub` claim), by which they are recognised at every sign-in after the first
    (people/sso.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField()
    last_signed_in_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_identity"),
                       models.UniqueConstraint(fields=["user", "issuer"], name="one_identity_per_provider")]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
