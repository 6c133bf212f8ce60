"""`python manage.py setup_clinic [--no-input] [--language ja|en]`: a new clinic's first run.

Creates the administrator (a superuser), optionally the first doctor (group Doctors) and the first
receptionist (group Reception), and the clinic profile that every patient sees. Idempotent: an
account that exists keeps its password and gains only its role; an existing clinic profile is
kept (staff edit it in the admin). Interactive by default; `--no-input` reads the environment:

  DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_PASSWORD, DJANGO_SUPERUSER_EMAIL (as createsuperuser)
  CLINIC_DOCTOR_USERNAME, CLINIC_DOCTOR_PASSWORD, CLINIC_DOCTOR_EMAIL          (optional)
  CLINIC_RECEPTION_USERNAME, CLINIC_RECEPTION_PASSWORD, CLINIC_RECEPTION_EMAIL (optional)
  CLINIC_NAME_JA, CLINIC_NAME_EN, CLINIC_ADDRESS_JA, CLINIC_ADDRESS_EN, CLINIC_PHONE (required for a
  new profile), CLINIC_ACCESS_JA, CLINIC_ACCESS_EN, CLINIC_OPENING_HOURS_JA,
  CLINIC_OPENING_HOURS_EN, CLINIC_LINE_ID (optional)

Nothing is written until every answer is valid, and then in one transaction.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import selectors
from intake.models import ClinicProfile


@dataclass(frozen=True)
class Role:
    key: str  # prefix of its environment variables
    label: Any  # lazy text
    group: str | None  # None: the superuser
    required: bool


ROLES = (
    Role("DJANGO_SUPERUSER", gettext_lazy("administrator"), None, True),
    Role("CLINIC_DOCTOR", gettext_lazy("first doctor"), "Doctors", False),
    Role("CLINIC_RECEPTION", gettext_lazy("first receptionist"), "Reception", False),
)
# (field, environment variable, label, required)
PROFILE_FIELDS = (
    ("name_ja", "CLINIC_NAME_JA", gettext_lazy("Clinic name (Japanese)"), True),
    ("name_en", "CLINIC_NAME_EN", gettext_lazy("Clinic name (English)"), True),
    ("address_ja", "CLINIC_ADDRESS_JA", gettext_lazy("Address (Japanese)"), True),
    ("address_en", "CLINIC_ADDRESS_EN", gettext_lazy("Address (English)"), True),
    ("phone", "CLINIC_PHONE", gettext_lazy("Phone"), True),
    ("access_ja", "CLINIC_ACCESS_JA", gettext_lazy("Access directions (Japanese)"), False),
    ("access_en", "CLINIC_ACCESS_EN", gettext_lazy("Access directions (English)"), False),
    (
        "opening_hours_ja",
        "CLINIC_OPENING_HOURS_JA",
        gettext_lazy("Opening hours (Japanese)"),
        False,
    ),
    ("opening_hours_en", "CLINIC_OPENING_HOURS_EN", gettext_lazy("Opening hours (English)"), False),
    ("line_id", "CLINIC_LINE_ID", gettext_lazy("LINE ID"), False),
)


@dataclass
class Account:
    role: Role
    username: str
    email: str
    password: str | None  # None: the account exists and keeps its password


class Command(BaseCommand):
    help = gettext_lazy(
        "First run of a new clinic: the administrator, optionally the first doctor and "
        "receptionist, and the clinic profile. Safe to run again."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=gettext_lazy("ask nothing: read everything from the environment"),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=gettext_lazy("language of the questions and messages"),
        )

    def handle(self, *args: Any, interactive: bool, language: str, **options: Any) -> None:
        self.interactive = interactive
        self.stdin = options.get("stdin", sys.stdin)
        with translation.override(language):
            if interactive and not (hasattr(self.stdin, "isatty") and self.stdin.isatty()):
                raise CommandError(_("Not a terminal: run it with --no-input and the environment."))
            groups = [role.group for role in ROLES if role.group]
            missing = [name for name in groups if not Group.objects.filter(name=name).exists()]
            if missing:
                raise CommandError(
                    _("Run `manage.py migrate` first: the groups %(groups)s do not exist yet.")
                    % {"groups": ", ".join(missing)}
                )
            accounts = [account for role in ROLES if (account := self.account(role))]
            profile = None if selectors.clinic_profile() else self.new_profile()
            with transaction.atomic():
                for account in accounts:
                    self.save_account(account)
                if profile is not None:
                    profile.save()
            if profile is None:
                self.stdout.write(_("Clinic profile: kept as it is (edit it in the admin)."))
            else:
                self.stdout.write(
                    _("Clinic profile: created (%(name)s).") % {"name": profile.name_ja}
                )
            self.stdout.write(self.style.SUCCESS(_("The clinic is set up.")))

    # Accounts ------------------------------------------------------------------------------------
    def account(self, role: Role) -> Account | None:
        label = str(role.label)
        nobody_named = not self.interactive and not self.env(role, "USERNAME")
        if role.group is None and nobody_named and User.objects.filter(is_superuser=True).exists():
            self.stdout.write(_("%(role)s: one exists already.") % {"role": label.capitalize()})
            return None
        if self.interactive:
            skip = "" if role.required else _(" (leave blank to skip)")
            username = self.ask(
                _("Username of the %(role)s%(skip)s: ") % {"role": label, "skip": skip}
            )
            while role.required and not username:
                username = self.ask(_("Username of the %(role)s: ") % {"role": label})
        else:
            username = self.env(role, "USERNAME")
            if role.required and not username:
                raise CommandError(_("%(var)s is not set.") % {"var": f"{role.key}_USERNAME"})
        if not username:
            return None
        if User.objects.filter(username=username).exists():
            return Account(role, username, "", None)
        email = self.ask(_("E-mail (optional): ")) if self.interactive else self.env(role, "EMAIL")
        user = User(username=username, email=email)
        password = (
            self.ask_password(role, user) if self.interactive else self.env_password(role, user)
        )
        return Account(role, username, email, password)

    def env_password(self, role: Role, user: User) -> str:
        password = self.env(role, "PASSWORD")
        if not password:
            raise CommandError(_("%(var)s is not set.") % {"var": f"{role.key}_PASSWORD"})
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                _("%(var)s: %(problems)s")
                % {"var": f"{role.key}_PASSWORD", "problems": " ".join(error.messages)}
            ) from error
        return password

    def ask_password(self, role: Role, user: User) -> str:
        while True:
            password = getpass.getpass(_("Password of the %(role)s: ") % {"role": role.label})
            if password != getpass.getpass(_("Password (again): ")):
                self.stderr.write(_("The two passwords differ. Try again."))
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password

    def save_account(self, account: Account) -> None:
        role = account.role
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"email": account.email}
        )
        if created:
            user.set_password(account.password)
        user.is_active = True
        user.is_staff = True
        if role.group is None:
            user.is_superuser = True
        user.save()
        if role.group:
            user.groups.add(Group.objects.get(name=role.group))
        message = (
            _("%(role)s %(username)s: created.")
            if created
            else _("%(role)s %(username)s: exists, password unchanged.")
        )
        label = str(role.label).capitalize()
        self.stdout.write(message % {"role": label, "username": account.username})

    # The clinic profile --------------------------------------------------------------------------
    def new_profile(self) -> ClinicProfile:
        """The profile asked for (or read from the environment), validated, not saved yet."""
        if self.interactive:
            self.stdout.write(_("The clinic profile, shown to every patient:"))
            values = {}
            for field, _var, label, required in PROFILE_FIELDS:
                values[field] = self.ask(f"{label}: ")
                while required and not values[field]:
                    values[field] = self.ask(f"{label} ({_('required')}): ")
        else:
            values = {
                field: os.environ.get(var, "").strip() for field, var, *_rest in PROFILE_FIELDS
            }
            missing = [
                var
                for field, var, _label, required in PROFILE_FIELDS
                if required and not values[field]
            ]
            if missing:
                raise CommandError(
                    _("There is no clinic profile yet, and %(vars)s not set.")
                    % {"vars": ", ".join(missing)}
                )
        profile = ClinicProfile(**values)
        try:
            profile.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(
                _("Clinic profile: %(problems)s") % {"problems": problems}
            ) from error
        return profile

    # Input ---------------------------------------------------------------------------------------
    def ask(self, prompt: str) -> str:
        return input(prompt).strip()

    @staticmethod
    def env(role: Role, name: str) -> str:
        return os.environ.get(f"{role.key}_{name}", "").strip()
