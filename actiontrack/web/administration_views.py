"""Administration pages: users, their roles on plans, posts and who holds them. For administrators
(`is_staff`) only; everyone else signed in gets a 403 page (no plan names are involved here, so a 403 gives
nothing away). Each POST calls one service in people/services.py, which checks again and journals the change."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.domain.ukdates import format_long
from actiontrack.people import services
from actiontrack.people.models import PlanRole, Post, PostHolding
from actiontrack.people.permissions import require_administrator
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.journal import Actor

from .administration_forms import HolderForm, PostForm, RoleGrantForm, UserActiveForm, UserCreateForm
from .forms import add_service_errors

FORBIDDEN = "web/administration/forbidden.html"


def administrator_required(view):
    """Signed in (else the sign-in page), and an administrator (else a 403 page saying why)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            require_administrator(Actor.of(request.user), "manage users, roles and posts")
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc)

    return wrapped


def forbidden(request, exc: PermissionDenied):
    return render(request, FORBIDDEN, {"reason": str(exc)}, status=403)


def _actor(request) -> Actor:
    return Actor.of(request.user)


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
    return render(request, "web/administration/index.html", {
        "user_count": get_user_model().objects.count(), "post_count": Post.objects.count()})


# Users ----------------------------------------------------------------------------------------------------


@administrator_required
def user_list(request):
    today = timezone.localdate()
    rows = [_user_summary(user, today) for user in _users_with_roles_and_posts()]
    return render(request, "web/administration/users.html", {"rows": rows, "today": today})


@administrator_required
def user_new(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_create(
                    actor=_actor(request), username=data["username"], first_name=data["first_name"],
                    last_name=data["last_name"], email=data["email"], password=data["password"],
                    is_staff=data["is_staff"], today=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"User {user.get_username()} created. Now give them a role on a plan, "
                                          f"or link them to a post they hold.")
                return redirect("administration:user", user_id=user.pk)
        return render(request, "web/administration/user_new.html", {"form": form}, status=400)
    return render(request, "web/administration/user_new.html", {"form": form})


def _user_page(request, user, *, active_form=None, grant_form=None, status=200):
    today = timezone.localdate()
    summary = _user_summary(_users_with_roles_and_posts().get(pk=user.pk), today)
    form = active_form if active_form is not None and active_form.errors else grant_form
    return render(request, "web/administration/user.html", {
        **summary, "today": today, "form": form, "active_form": active_form,
        "grant_form": grant_form or RoleGrantForm(), "is_self": user.pk == request.user.pk,
    }, status=status)


@administrator_required
def user_detail(request, user_id):
    return _user_page(request, get_object_or_404(get_user_model(), pk=user_id))


@administrator_required
@require_POST
def user_active(request, user_id):
    user = get_object_or_404(get_user_model(), pk=user_id)
    form = UserActiveForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_active(actor=_actor(request), user=user, active=form.cleaned_data["active"],
                                     today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            state = "on: they can sign in" if user.is_active else "off: they can no longer sign in"
            messages.success(request, f"The account {user.get_username()} is {state}.")
            return redirect("administration:user", user_id=user.pk)
    return _user_page(request, user, active_form=form, status=400)


@administrator_required
@require_POST
def role_grant(request, user_id):
    user = get_object_or_404(get_user_model(), pk=user_id)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        try:
            grant = services.role_grant(actor=_actor(request), user=user, plan=form.cleaned_data["plan"],
                                        role=form.cleaned_data["role"], today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{user.get_username()} is now {_role_text(grant, in_sentence=True)}.")
            return redirect("administration:user", user_id=user.pk)
    return _user_page(request, user, grant_form=form, status=400)


@administrator_required
@require_POST
def role_revoke(request, user_id, role_id):
    grant = get_object_or_404(PlanRole.objects.select_related("plan", "user"), pk=role_id, user_id=user_id)
    text = _role_text(grant, in_sentence=True)
    services.role_revoke(actor=_actor(request), grant=grant, today=timezone.localdate())
    messages.success(request, f"{grant.user.get_username()} is no longer {text}.")
    return redirect("administration:user", user_id=user_id)


# Posts ----------------------------------------------------------------------------------------------------


def _posts():
    return Post.objects.annotate(action_count=Count("actions", distinct=True)).prefetch_related(
        Prefetch("holdings", queryset=PostHolding.objects.select_related("user").order_by("starts_on")))


@administrator_required
def post_list(request):
    today = timezone.localdate()
    rows = [{"post": post, "holder": services.holding_on(post, today)} for post in _posts()]
    return render(request, "web/administration/posts.html", {"rows": rows, "today": today})


@administrator_required
def post_new(request):
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                post = services.post_create(actor=_actor(request), name=form.cleaned_data["name"],
                                            aliases=form.cleaned_data["aliases"], effective_on=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Post {post.name} created. Now say who holds it.")
                return redirect("administration:post", post_id=post.pk)
        return render(request, "web/administration/post_new.html", {"form": form}, status=400)
    return render(request, "web/administration/post_new.html", {"form": form})


def _post_page(request, post, *, post_form=None, holder_form=None, status=200):
    today = timezone.localdate()
    post = _posts().get(pk=post.pk)
    holdings = list(post.holdings.all())
    if post_form is None:
        post_form = PostForm(initial={"name": post.name, "aliases": "\n".join(post.alias_list)})
    form = post_form if post_form.errors else holder_form
    return render(request, "web/administration/post.html", {
        "post": post, "holdings": holdings, "holder": services.holding_on(post, today), "today": today,
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
            services.post_update(actor=_actor(request), post=post, name=form.cleaned_data["name"],
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
            holding = services.post_holder_change(actor=_actor(request), post=post, holder_name=data["holder_name"],
                                                  starts_on=data["starts_on"], user=data["user"],
                                                  reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{holding.holder_name} holds {post.name} from {format_long(holding.starts_on)}.")
            return redirect("administration:post", post_id=post.pk)
    return _post_page(request, post, holder_form=form, status=400)
