"""Sign-in, own profile, agency switcher, and user management for agency administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv

from . import services
from .choices import Role
from .forms import MembershipForm, ProfileForm, UserCreateForm, UserEditForm
from .middleware import SESSION_KEY
from .models import Membership
from .permissions import (
    agencies_of,
    can_manage_users,
    get_membership_for_admin,
    get_user_for_admin,
    users_of_agency,
)


@login_required
@require_POST
def agency_switch(request: HttpRequest) -> HttpResponse:
    agency_id = request.POST.get("agency")
    agency = next((a for a in agencies_of(request.user) if str(a.pk) == agency_id), None)
    if agency is None:
        raise PermissionDenied
    request.session[SESSION_KEY] = agency.pk
    messages.success(request, _("You are now working in %(agency)s.") % {"agency": agency})
    target = request.POST.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("core:home")
    return HttpResponseRedirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        user.refresh_from_db()  # type: ignore[union-attr]
        services.update_profile(
            user=user,  # type: ignore[arg-type]
            agency=getattr(request, "agency", None),
            **form.cleaned_data,
        )
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            "django_language",
            form.cleaned_data["preferred_language"],
            samesite="Lax",
            httponly=True,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_users(request.user, current_agency(request)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponseBase:
    _require_admin(request)
    agency = current_agency(request)
    users = users_of_agency(agency).prefetch_related(
        "memberships__agency", "memberships__unit", "memberships__region"
    )
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q)
        )
    if role in Role.values:
        users = users.filter(memberships__agency=agency, memberships__role=role)
    sort = request.GET.get("sort", "username")
    if sort.lstrip("-") not in {"username", "full_name", "last_login"}:
        sort = "username"
    users = users.order_by(sort)
    if wants_csv(request):
        rows = (
            (
                u.username,
                u.full_name,
                u.email,
                u.nip,
                u.is_active,
                "; ".join(str(m) for m in u.memberships.all() if m.agency_id == agency.pk),
            )
            for u in users
        )
        header = [_("Username"), _("Full name"), _("Email"), _("NIP"), _("Active"), _("Roles")]
        return csv_response("pengguna.csv", header, rows)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    for u in page:
        u.agency_memberships = [m for m in u.memberships.all() if m.agency_id == agency.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "sort": sort,
            "roles": Role.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency = current_agency(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The user has been created. Now give them a role."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    user = get_user_for_admin(request.user, agency, pk)
    memberships = Membership.objects.filter(user=user, agency=agency).select_related(
        "unit", "region"
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "memberships": memberships,
            "membership_form": MembershipForm(agency=agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    user = get_user_for_admin(request.user, agency, pk)
    form = UserEditForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user.refresh_from_db()
        try:
            services.update_user(actor=request.user, agency=agency, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The user has been saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "subject": user})


@login_required
@require_POST
def user_resend_setup(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    user = get_user_for_admin(request.user, agency, pk)
    try:
        with transaction.atomic():
            services.resend_password_setup(actor=request.user, agency=agency, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A new link to choose a password was sent to %(email)s.") % {"email": user.email},
        )
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    user = get_user_for_admin(request.user, agency, pk)
    form = MembershipForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services.add_membership(
                actor=request.user, agency=agency, user=user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The role has been given."))
            return redirect("accounts:user_detail", pk=user.pk)
    memberships = Membership.objects.filter(user=user, agency=agency).select_related(
        "unit", "region"
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "memberships": memberships,
            "membership_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    membership = get_membership_for_admin(request.user, agency, pk)
    try:
        services.remove_membership(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role has been removed."))
    return redirect("accounts:user_detail", pk=membership.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications; POST marks them all read."""
    from .models import Notification
    from .notifications import mark_read

    if request.method == "POST":
        mark_read(user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("All notifications are marked as read."))
        return redirect("accounts:notification_list")
    notes = Notification.objects.filter(user=request.user).select_related("agency")  # type: ignore[misc]
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page": page})
