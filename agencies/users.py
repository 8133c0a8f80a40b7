"""Creating users with a role and an agency scope."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from knox.models import AuthToken

from govit.errors import InputError, InputRejected
from govit.i18n import RenderedMessage, _

from .codes import normalize_code
from .models import AGENCY_ROLES, Role, User
from .selectors import agency_by_code


def password_problems(password: str, user: User) -> list[InputError]:
    """The password policy's objections, each in Vietnamese and English (the validators render at once)."""
    texts: dict[str, list[str]] = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            try:
                validate_password(password, user)
            except ValidationError as exc:
                texts[lang] = exc.messages
    if not texts:
        return []
    return [InputError(RenderedMessage(vi, en), where="password")
            for vi, en in zip(texts["vi"], texts["en"], strict=True)]


def issue_token(user: User) -> str:
    """A new API token for the user, valid for API_TOKEN_TTL_HOURS; only its digest is stored, so the key is
    returned this once."""
    return AuthToken.objects.create(user=user)[1]


@transaction.atomic
def create_user(
    username: str,
    role: str,
    agency_code: str | None = None,
    with_descendants: bool = False,
    password: str | None = None,
    with_token: bool = False,
) -> tuple[User, str, str | None]:
    """Create a user; returns (user, password, token key or None). A generated password is returned once."""
    errors: list[InputError] = []
    if role not in Role.values:
        errors.append(InputError(_("Unknown role “%(role)s”.") % {"role": role}, where="role"))
    if User.objects.filter(username=username).exists():
        errors.append(InputError(_("A user named “%(name)s” already exists.") % {"name": username}, where="name"))
    agency = None
    if agency_code:
        agency = agency_by_code(normalize_code(agency_code))
        if agency is None:
            errors.append(InputError(_("Unknown agency “%(code)s”.") % {"code": agency_code}, where="agency"))
    elif role in AGENCY_ROLES:
        errors.append(InputError(_("This role needs an agency (--agency CODE)."), where="agency"))
    generated = password is None
    password = password if password is not None else secrets.token_urlsafe(12)
    user = User(username=username, role=role, agency=agency, with_descendants=with_descendants)
    if not generated:
        errors += password_problems(password, user)
    if errors:
        raise InputRejected(errors)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    token = issue_token(user) if with_token else None
    return user, password, token
