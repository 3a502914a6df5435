"""Administration pages: users, their roles on plans, posts and who holds them. For administrators
(`is_staff`) only; everyone else signed in gets a 403 page (no plan names are involved here, so a 403 gives
nothing away). Each POST calls one service in people/services.py, which checks again and journals the change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.domain.ukdates import format_long
from actiontrack.notify.password_links import FROM_ADMINISTRATOR, send_password_link
from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.people import passwords, services
from actiontrack.people.models import Post, PostHolding
from actiontrack.people.permissions import require_administrator
from actiontrack.people.selectors import holding_on
from actiontrack.plans import services as plan_services
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import PlanRole
from actiontrack.reports import organisation as organisation_services

from .forms import (
    AdministratorForm,
    HolderForm,
    HoldingAccountForm,
    HoldingEndForm,
    OrganisationForm,
    PasswordForm,
    PostForm,
    RoleGrantForm,
    UserActiveForm,
    UserCreateForm,
    UserDetailsForm,
)

T = "web/administration/"

# Signed in (else the sign-in page), and an administrator (else a 403 page saying why).
administrator_required = page(refused=Refusal(
    title="You cannot use the administration pages",
    reason="Only an administrator can manage users, roles and posts.",
    advice="Your account is not an administrator's. If a user, a role on a plan or a post needs changing, ask an "
           "administrator to do it.",
    home_text="Go to your plans"),
                              require=lambda who: require_administrator(who, "manage users, roles and posts"))


def _role_text(grant: PlanRole, *, in_sentence: bool = False) -> str:
    """The role as text: 'Plan manager of PIP-PR', or in a sentence 'plan manager of PIP-PR'."""
    label = PlanRoleKind(grant.role).label
    return f"{label.lower() if in_sentence else label} of {grant.plan.reference}"


def _users_with_roles_and_posts():
    return get_user_model().objects.order_by("username").prefetch_related(
        Prefetch("plan_roles", queryset=PlanRole.objects.select_related("plan").order_by("plan__reference", "role")),
        Prefetch("post_holdings", queryset=PostHolding.objects.select_related("post").order_by("starts_on")))


def _user_summary(user, today) -> dict:
    return {
        "account": user,  # not "user": that is the person signed in, shown in the page header
        "roles": [{"grant": grant, "text": _role_text(grant),
                   "in_sentence": _role_text(grant, in_sentence=True)} for grant in user.plan_roles.all()],
        "posts_today": [holding.post for holding in user.post_holdings.all() if holding.in_force_on(today)],
        "holdings": list(user.post_holdings.all()),
    }


@administrator_required
def index(request):
    return render_page(request, T + "index.html", {
        "user_count": get_user_model().objects.count(), "post_count": Post.objects.count(),
        "organisation": organisation_services.organisation()})


# The organisation -----------------------------------------------------------------------------------------


@administrator_required
def organisation(request):
    """The organisation's name, logo and committee-paper template, used by every board report."""
    org = organisation_services.organisation()
    if request.method != "POST":
        form = OrganisationForm(initial={"name": org.name, "logo_alt": org.logo_alt})
        return render_page(request, T + "organisation.html", {"form": form, "organisation": org})
    form = OrganisationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            organisation_services.organisation_update(
                actor=actor(request), name=data["name"], logo_alt=data["logo_alt"], logo=data["logo"],
                remove_logo=data["remove_logo"], template=data["template"],
                remove_template=data["remove_template"], today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The organisation's details for board reports are saved.")
            return redirect("administration:organisation")
    return render_page(request, T + "organisation.html", {"form": form, "organisation": org}, status=400)


# Users ----------------------------------------------------------------------------------------------------


@administrator_required
def user_list(request):
    today = timezone.localdate()
    rows = [_user_summary(user, today) for user in _users_with_roles_and_posts()]
    return render_page(request, T + "users.html", {"rows": rows, "today": today})


@administrator_required
def user_new(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_create(
                    actor=actor(request), username=data["username"], first_name=data["first_name"],
                    last_name=data["last_name"], email=data["email"],
                    password=None if data["send_link"] else data["password"],
                    is_staff=data["is_staff"], today=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                sent = ""
                if data["send_link"]:
                    try:
                        send_password_link(user, FROM_ADMINISTRATOR, sent_by=actor(request).name)
                        sent = f" A link to set their password has gone to {user.email}."
                    except OSError as exc:
                        messages.error(request, f"The email with the link could not be sent ({exc}). Check the mail "
                                                "settings, then use Send a link to set a password below.")
                messages.success(request, f"User {user.get_username()} created.{sent} Now give them a role on a "
                                          f"plan, or link them to a post they hold.")
                return redirect("administration:user", user_id=user.pk)
        return render_page(request, T + "user_new.html", {"form": form}, status=400)
    return render_page(request, T + "user_new.html", {"form": form})


def _user_page(request, user, *, failed: tuple[str, object] | None = None, error: str = "", status=200):
    """The user page with its forms; `failed` is (name, form) of a form posted with errors, shown again with
    them and in the error summary; `error`, a message for the summary from a button without a form."""
    today = timezone.localdate()
    account = _users_with_roles_and_posts().get(pk=user.pk)
    forms = {"details_form": UserDetailsForm(initial={"first_name": account.first_name,
                                                      "last_name": account.last_name, "email": account.email}),
             "password_form": PasswordForm(), "grant_form": RoleGrantForm(), "active_form": None,
             "administrator_form": None}
    if failed:
        forms[failed[0]] = failed[1]
    return render_page(request, T + "user.html", {
        **_user_summary(account, today), **forms, "today": today, "form": failed[1] if failed else None,
        "is_self": user.pk == request.user.pk, "error": error, "anchor": "#id_password_link" if error else "",
        "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }, status=status)


def _user_change(request, user_id, form_class, name: str, change, done):
    """A POST to one of the user page's forms: parse, call the one service (`change(user, cleaned_data)`), then
    back to the user page with `done(user)` as the message; or the page again with what was wrong (400)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            change(user, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done(user))
            return redirect("administration:user", user_id=user.pk)
    return _user_page(request, user, failed=(name, form), status=400)


@administrator_required
def user_detail(request, user_id):
    return _user_page(request, get_object_or_404(get_user_model(), pk=user_id))


@administrator_required
@require_POST
def user_active(request, user_id):
    def change(user, data):
        services.user_set_active(actor=actor(request), user=user, active=data["active"], today=timezone.localdate())

    def done(user):
        state = "on: they can sign in" if user.is_active else "off: they can no longer sign in"
        return f"The account {user.get_username()} is {state}."

    return _user_change(request, user_id, UserActiveForm, "active_form", change, done)


@administrator_required
@require_POST
def user_details(request, user_id):
    def change(user, data):
        services.user_update(actor=actor(request), user=user, first_name=data["first_name"],
                             last_name=data["last_name"], email=data["email"], today=timezone.localdate())

    return _user_change(request, user_id, UserDetailsForm, "details_form", change,
                        lambda user: f"The name and email address of {user.get_username()} are saved.")


@administrator_required
@require_POST
def user_password(request, user_id):
    def change(user, data):
        services.user_set_password(actor=actor(request), user=user, password=data["password"],
                                   today=timezone.localdate())

    return _user_change(request, user_id, PasswordForm, "password_form", change,
                        lambda user: f"{user.get_username()} has a new password. Tell them it, and nobody else.")


@administrator_required
@require_POST
def user_password_link(request, user_id):
    """E-mail someone a link to set their own password (notify/password_links.py)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    who = actor(request)
    try:
        passwords.password_link_for(actor=who, user=user)
        send_password_link(user, FROM_ADMINISTRATOR, sent_by=who.name)
    except ValidationError as exc:
        return _user_page(request, user, error=" ".join(exc.messages), status=400)
    except OSError as exc:
        return _user_page(request, user, error=f"The email could not be sent ({exc}). Check the mail settings "
                                               "(EMAIL_HOST) or try again later.", status=502)
    messages.success(request, f"A link to set a password has been sent to {user.email}.")
    return redirect("administration:user", user_id=user.pk)


@administrator_required
@require_POST
def user_administrator(request, user_id):
    def change(user, data):
        services.user_set_administrator(actor=actor(request), user=user, administrator=data["administrator"],
                                        today=timezone.localdate())

    def done(user):
        return (f"{user.get_username()} is now an administrator." if user.is_staff
                else f"{user.get_username()} is no longer an administrator.")

    return _user_change(request, user_id, AdministratorForm, "administrator_form", change, done)


@administrator_required
@require_POST
def role_grant(request, user_id):
    grants = []

    def change(user, data):
        grants.append(plan_services.role_grant(actor=actor(request), user=user, plan=data["plan"], role=data["role"],
                                          today=timezone.localdate()))

    return _user_change(request, user_id, RoleGrantForm, "grant_form", change,
                        lambda user: f"{user.get_username()} is now {_role_text(grants[0], in_sentence=True)}.")


@administrator_required
@require_POST
def role_revoke(request, user_id, role_id):
    grant = get_object_or_404(PlanRole.objects.select_related("plan", "user"), pk=role_id, user_id=user_id)
    text = _role_text(grant, in_sentence=True)
    plan_services.role_revoke(actor=actor(request), grant=grant, today=timezone.localdate())
    messages.success(request, f"{grant.user.get_username()} is no longer {text}.")
    return redirect("administration:user", user_id=user_id)


# Posts ----------------------------------------------------------------------------------------------------


def _posts():
    return Post.objects.annotate(action_count=Count("actions", distinct=True)).prefetch_related(
        Prefetch("holdings", queryset=PostHolding.objects.select_related("user").order_by("starts_on")))


@administrator_required
def post_list(request):
    today = timezone.localdate()
    rows = [{"post": post, "holder": holding_on(post, today)} for post in _posts()]
    return render_page(request, T + "posts.html", {"rows": rows, "today": today})


@administrator_required
def post_new(request):
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                post = services.post_create(actor=actor(request), name=form.cleaned_data["name"],
                                            aliases=form.cleaned_data["aliases"], effective_on=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Post {post.name} created. Now say who holds it.")
                return redirect("administration:post", post_id=post.pk)
        return render_page(request, T + "post_new.html", {"form": form}, status=400)
    return render_page(request, T + "post_new.html", {"form": form})


def _post_page(request, post, *, post_form=None, holder_form=None, status=200):
    today = timezone.localdate()
    post = _posts().get(pk=post.pk)
    holdings = list(post.holdings.all())
    if post_form is None:
        post_form = PostForm(initial={"name": post.name, "aliases": "\n".join(post.alias_list)})
    form = post_form if post_form.errors else holder_form
    return render_page(request, T + "post.html", {
        "post": post, "holdings": holdings, "holder": holding_on(post, today), "today": today,
        "form": form, "post_form": post_form, "holder_form": holder_form or HolderForm(),
    }, status=status)


@administrator_required
def post_detail(request, post_id):
    post = get_object_or_404(Post, pk=post_id)
    if request.method != "POST":
        return _post_page(request, post)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            services.post_update(actor=actor(request), post=post, name=form.cleaned_data["name"],
                                 aliases=form.cleaned_data["aliases"], today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Post {post.name} saved.")
            return redirect("administration:post", post_id=post.pk)
    return _post_page(request, get_object_or_404(Post, pk=post_id), post_form=form, status=400)


@administrator_required
@require_POST
def post_holder(request, post_id):
    post = get_object_or_404(Post, pk=post_id)
    form = HolderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            holding = services.post_holder_change(actor=actor(request), post=post, holder_name=data["holder_name"],
                                                  starts_on=data["starts_on"], user=data["user"],
                                                  reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{holding.holder_name} holds {post.name} from {format_long(holding.starts_on)}.")
            return redirect("administration:post", post_id=post.pk)
    return _post_page(request, post, holder_form=form, status=400)


# One holding of a post: its user account, and ending it with nobody to follow -----------------------------


def _holding_page(request, holding, *, failed: tuple[str, object] | None = None, status=200):
    holding = PostHolding.objects.select_related("post", "user").get(pk=holding.pk)
    forms = {"account_form": HoldingAccountForm(initial={"user": holding.user_id}), "end_form": HoldingEndForm()}
    if failed:
        forms[failed[0]] = failed[1]
    return render_page(request, T + "holding.html", {
        **forms, "holding": holding, "post": holding.post, "form": failed[1] if failed else None,
        "in_force": holding.in_force_on(timezone.localdate()),
    }, status=status)


def _holding(post_id, holding_id) -> PostHolding:
    return get_object_or_404(PostHolding.objects.select_related("post", "user"), pk=holding_id, post_id=post_id)


@administrator_required
def holding_detail(request, post_id, holding_id):
    return _holding_page(request, _holding(post_id, holding_id))


@administrator_required
@require_POST
def holding_account(request, post_id, holding_id):
    holding = _holding(post_id, holding_id)
    form = HoldingAccountForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.holding_set_user(actor=actor(request), holding=holding, user=user, today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{holding.holder_name}'s holding of {holding.post.name} is now linked to the "
                                      f"account {user.get_username()}." if user else
                                      f"{holding.holder_name}'s holding of {holding.post.name} is no longer linked "
                                      "to an account.")
            return redirect("administration:post", post_id=post_id)
    return _holding_page(request, holding, failed=("account_form", form), status=400)


@administrator_required
@require_POST
def holding_end(request, post_id, holding_id):
    holding = _holding(post_id, holding_id)
    form = HoldingEndForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.holding_end(actor=actor(request), holding=holding, vacant_from=data["vacant_from"],
                                 reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{holding.post.name} is vacant from {format_long(data['vacant_from'])}: "
                                      f"{holding.holder_name}'s holding ends the day before.")
            return redirect("administration:post", post_id=post_id)
    return _holding_page(request, holding, failed=("end_form", form), status=400)
