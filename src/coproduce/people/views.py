from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import registry
from coproduce.core.views import apply_errors

from . import access, selectors, services
from .forms import (
    ApiTokenForm,
    ClaimAccountForm,
    ClaimCodeForm,
    EraseAccountForm,
    OrganisationForm,
    ProfileForm,
)
from .models import ClaimCode, OrganisationMembership, User


@login_required
def me(request):
    # The form validates a copy, so that the service can compare the stored values with the new ones.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in ProfileForm.Meta.fields}
        try:
            services.profile_update(
                actor=request.user,
                user=request.user,
                skills=form.cleaned_data["skills"],
                interests=form.cleaned_data["interests"],
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("people:me")
    # Spaces sit above people: the person's memberships come through the reverse relation, the requests to
    # answer through spaces' hook (spaces/apps.py).
    memberships = request.user.memberships.select_related("space")
    to_answer = registry.hook("partnership_requests_to_answer")
    more_links = registry.hook("me_links")  # e.g. the quality app's "What became of what I said"
    return render(
        request,
        "people/me.html",
        {
            "form": form,
            "memberships": memberships,
            "partnership_requests": to_answer(request.user) if to_answer else [],
            "network_admin": access.can_admin_network(request.user),
            "more_links": more_links(request.user) if more_links else [],
        },
    )


@login_required
def tokens(request):
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request, "people/tokens.html", {"form": form, "raw": raw, "tokens": request.user.api_tokens.all()}
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token no longer works."))
    return redirect("people:tokens")


def person(request, person_id: int):
    person = access.get_person_for(request.user, person_id)
    return render(request, "people/person.html", {"person": person})


def _claim_not_working(request, claim):
    """The plain page for a link or code that does not work (any more): say which, and what to do."""
    if claim is None:
        reason = "unknown"
    elif claim.used_at is not None or not claim.person.is_assisted:
        reason = "used"
    else:
        reason = "expired"
    status = 404 if claim is None else 410  # 410 Gone: it existed and will not work again
    return render(request, "people/claim_invalid.html", {"reason": reason, "claim": claim}, status=status)


def _claim_form(request, claim, *, token: str = ""):
    form = ClaimAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.account_claim(
                token=token,
                claim_id=claim.pk,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            if error.messages == [str(services.CLAIM_NOT_WORKING)]:  # used by someone else meanwhile
                claim.refresh_from_db()
                return _claim_not_working(request, claim)
            apply_errors(form, error, default_field="password1")
        else:
            request.session.pop(CLAIM_SESSION_KEY, None)
            login(request, person, backend="coproduce.people.backends.ModelBackend")
            messages.success(
                request, _("Welcome. You can now sign in yourself. Below is everything done on your behalf.")
            )
            return redirect("people:on_my_behalf")
    return render(
        request,
        "people/claim.html",
        {"form": form, "person": claim.person},
        status=400 if request.method == "POST" else 200,
    )


def claim(request, token: str):
    claim = selectors.claim_for_token(token)
    if claim is None or not claim.is_open() or not claim.person.is_assisted:
        return _claim_not_working(request, claim)
    return _claim_form(request, claim, token=token)


CLAIM_SESSION_KEY = "claim_code_id"  # the code a person typed, while they choose their email and password
TOO_MANY_CODES = _("Too many wrong codes. Wait a few minutes, then try again, or ask your facilitator.")


def _code_limit_key(request) -> str:
    # Wrong codes are counted per place (address), with the same limits and store as failed sign-ins.
    return "signup-code:" + get_adapter().get_client_ip(request)


def claim_code(request):
    """Type the code a facilitator gave (on paper or read out) instead of opening the link."""
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST":
        key = _code_limit_key(request)
        if not ratelimit.consume(request, action="login_failed", key=key, dry_run=True):
            form.is_valid()
            form.add_error(None, TOO_MANY_CODES)
            return render(request, "people/claim_code.html", {"form": form}, status=429)
        if form.is_valid():
            claim = selectors.claim_for_code(form.cleaned_data["code"])
            if claim is None:
                ratelimit.consume(request, action="login_failed", key=key)
                form.add_error(
                    "code",
                    _("We could not find this code. Check each letter and number, or ask your facilitator."),
                )
            elif not claim.is_open() or not claim.person.is_assisted:
                return _claim_not_working(request, claim)
            else:
                request.session[CLAIM_SESSION_KEY] = claim.pk
                return redirect("people:claim_code_continue")
        return render(request, "people/claim_code.html", {"form": form}, status=400)
    return render(request, "people/claim_code.html", {"form": form})


def claim_code_continue(request):
    claim_id = request.session.get(CLAIM_SESSION_KEY)
    claim = ClaimCode.objects.select_related("person").filter(pk=claim_id).first() if claim_id else None
    if claim is None:
        return redirect("people:claim_code")
    if not claim.is_open() or not claim.person.is_assisted:
        return _claim_not_working(request, claim)
    return _claim_form(request, claim)


# --- Organisations --------------------------------------------------------------------------------


def organisations(request):
    return render(request, "people/organisations.html", {"organisations": selectors.organisations()})


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation created. You are its admin."))
            return redirect("people:organisation", slug=org.slug)
    return render(request, "people/organisation_form.html", {"form": form})


def organisation(request, slug: str):
    org = access.get_organisation_for(request.user, slug)
    is_admin = access.is_organisation_admin(request.user, org)
    members = org.memberships.select_related("user").order_by("-is_admin", "user__display_name")
    mine = members.filter(user=request.user).first() if request.user.is_authenticated else None
    # The spaces it is part of, and those asking to list it, come from spaces' hook (spaces/apps.py).
    partnerships = registry.hook("organisation_partnerships")
    return render(
        request,
        "people/organisation.html",
        {
            "org": org,
            "is_admin": is_admin,
            "members": members if is_admin else members.filter(approved=True),
            "mine": mine,
            "spaces": [],
            "partnership_requests": [],
            **(partnerships(request.user, org) if partnerships else {}),
        },
    )


@login_required
def organisation_edit(request, slug: str):
    org = access.get_organisation_for(request.user, slug, write=True)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        org.refresh_from_db()
        try:
            services.organisation_update(actor=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:organisation", slug=org.slug)
    return render(request, "people/organisation_form.html", {"form": form, "org": org})


@login_required
@require_POST
def organisation_join(request, slug: str):
    org = access.get_organisation_for(request.user, slug)
    try:
        services.organisation_join(actor=request.user, organisation=org)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request has been sent to the organisation's admins."))
    return redirect("people:organisation", slug=org.slug)


@login_required
@require_POST
def organisation_member(request, slug: str, membership_id: int):
    org = access.get_organisation_for(request.user, slug)
    membership = get_object_or_404(OrganisationMembership, organisation=org, pk=membership_id)
    action = request.POST.get("action")
    try:
        if action == "remove" or (action == "leave" and membership.user_id == request.user.pk):
            services.organisation_membership_remove(actor=request.user, membership=membership)
        elif action in {"approve", "make_admin", "remove_admin"}:
            access.get_organisation_for(request.user, slug, write=True)
            services.organisation_membership_set(
                actor=request.user,
                membership=membership,
                approved=True if action == "approve" else None,
                is_admin={"make_admin": True, "remove_admin": False}.get(action),
            )
        else:
            messages.error(request, _("Unknown action."))
            return redirect("people:organisation", slug=org.slug)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("people:organisation", slug=org.slug)


# --- Your data (UK GDPR) ---------------------------------------------------------------------------------


def kept_and_removed() -> list:
    """What erasure does, from every module's own words (core/registry.py `personal_data_described`)."""
    return [kind for manifest in registry.manifests() for kind in manifest.personal_data_described]


@login_required
def my_data(request):
    return render(
        request,
        "people/my_data.html",
        {"sections": registry.personal_data(request.user), "kinds": kept_and_removed()},
    )


@login_required
def my_data_download(request, fmt: str):
    """The person's data as one JSON document, or a zip of CSV files. Only ever their own."""
    return data_download(request.user, fmt)


def data_download(person: User, fmt: str) -> HttpResponse:
    """`person`'s data as a file; the caller has asked `access` whether the viewer may have it."""
    if fmt not in ("json", "zip"):
        raise Http404
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            services.personal_data_json(person), json_dumps_params={"indent": 2}
        )
        name = "my-data.json"
    else:
        response = HttpResponse(services.personal_data_csv(person), content_type="application/zip")
        name = "my-data-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def erase_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=request.user, person=request.user)
        except ValidationError as error:
            apply_errors(form, error, default_field="confirm")
        else:
            logout(request)
            messages.success(request, _("Your account has been erased. Thank you for taking part."))
            return redirect("/")
    return render(
        request,
        "people/erase.html",
        {"form": form, "kinds": kept_and_removed()},
        status=400 if request.method == "POST" else 200,
    )


def privacy(request):
    """The privacy notice, made from what each module says it collects (so it cannot fall behind the code),
    and how long special category data is kept (settings.RETENTION_DAYS)."""
    from django.conf import settings

    modules = [
        (manifest.label, manifest.personal_data_described)
        for manifest in registry.manifests()
        if manifest.personal_data_described
    ]
    return render(request, "people/privacy.html", {"modules": modules, "retention": settings.RETENTION_DAYS})
