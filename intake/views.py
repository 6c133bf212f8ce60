"""The patient's side: the intake wizard, the confirmation page, and the site's front door.

Patients have no account: their unfinished answers live in the session, and the confirmation is
shown only to the browser that sent the intake (its latest one). Reads and writes go through
`selectors` and `services`; the doctors' and reception's pages are in `review/` and
`invitations/`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousOperation
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlSessionWizardView, normalize_name

from intake import answers, forms, selectors, services, throttle
from intake.birthdate.views import birth_date_confirmed, birth_date_forget
from intake.forms import ANSWERS_CHANGED
from intake.invitations.services import invitation_mark_started
from intake.models import ConsentDocument, Invitation
from intake.wizard_forms import StoredForms
from intake.wizard_redirects import RedirectAfterPost
from intake.wizard_storage import answers_keep


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """`/` goes to the intake's start page in the browser's language, Japanese by default."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return redirect("intake:welcome")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    if not selectors.database_available():
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# The patient's intake --------------------------------------------------------------------------
STEP_NAMES = tuple(step.name for step in answers.STEPS)
REVIEW_STEP = "review"
# Pages that continue answers kept in the session: without any, the session has ended.
CONTINUING_STEPS = frozenset({*STEP_NAMES[1:], REVIEW_STEP})
# The session's latest intake: {"reference": ..., "submission_token": ...}, for its confirmation.
SUBMITTED_SESSION_KEY = "intake_submitted"
# Set when the patient, back on the questionnaire after sending it, chose to start a new one.
NEW_INTAKE_SESSION_KEY = "intake_new_chosen"
# The invitation the patient came from (set by invitations:open): prefills step 1, tied at submit.
INVITATION_SESSION_KEY = "intake_invitation"
# A repeat invitation's date of birth, confirmed in this session (intake.birthdate's scope).
INVITATION_SCOPE = "invitation"


class IntakeWizard(StoredForms, RedirectAfterPost, NamedUrlSessionWizardView):
    """The six steps of spec §1, then a review page whose submit creates the intake.

    Answers live in the (database-backed) session: a reload, back, a change from the review page
    or a language switch never loses them. Back and the language switch keep what is on the
    current page even when it does not validate yet; everything is validated again at submit.
    """

    form_list = [*forms.STEP_FORMS.items(), (REVIEW_STEP, forms.ReviewForm)]
    template_name = "intake/wizard.html"

    storage_name = "intake.wizard_storage.WizardSessionStorage"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.today = timezone.localdate()
        response = super().dispatch(request, *args, **kwargs)
        # Each page keeps the answers longer: the time the page says (intake/_session_note.html).
        answers_keep(request.session)
        return response

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"today": self.today}
        if step == REVIEW_STEP:
            kwargs["current_digest"] = self.answers_digest()
        if step in ("retinoids", "treatments"):
            about_you = self.get_cleaned_data_for_step("about_you") or {}
            kwargs["date_of_birth"] = about_you.get("date_of_birth")
        if step == "consent":
            kwargs["consent_version"] = self.consent_document.version
        return kwargs

    def get_form_initial(self, step: str) -> dict[str, Any]:
        if step == REVIEW_STEP:
            return {"submission_token": self.submission_token}
        initial: dict[str, Any] = {}
        if step == "about_you" and self.invitation is not None:
            initial = {
                key: getattr(self.invitation, key)
                for key in ("full_name", "full_name_kana", "phone", "email", "visit_date")
            }
        # A repeat intake: the answers carried over from the last visit, to check and change.
        return {**initial, **forms.step_initial(step, self.carried_answers)}

    @cached_property
    def invitation(self) -> Invitation | None:
        """The appointment this intake was opened from (an invitation link), if still unused.
        A repeat invitation counts only once this session has confirmed the date of birth."""
        session = self.request.session
        invitation = selectors.invitation_unused(pk=session.get(INVITATION_SESSION_KEY))
        if invitation is None or invitation.patient_id is None:
            return invitation
        confirmed = birth_date_confirmed(session, scope=INVITATION_SCOPE, pk=invitation.pk)
        return invitation if confirmed else None

    @cached_property
    def carried_answers(self) -> dict[str, Any]:
        """A repeat intake's answers carried over from the patient's latest intake (spec §5)."""
        if self.invitation is None or self.invitation.patient_id is None:
            return {}
        return selectors.repeat_answers(patient_id=self.invitation.patient_id)

    @cached_property
    def consent_document(self) -> ConsentDocument:
        return selectors.current_consent_document(today=self.today)

    @property
    def submission_token(self) -> str:
        """This session's token for the intake in progress: the one its submit is created with."""
        token = self.storage.extra_data.get("submission_token")
        if token is None:
            token = str(uuid.uuid4())
            self.storage.extra_data = {**self.storage.extra_data, "submission_token": token}
        return token

    def answers_digest(self) -> str:
        return forms.answers_digest({step: self.storage.get_step_data(step) for step in STEP_NAMES})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if self.sent_already():
            return redirect("intake:sent")
        if step is None or step == self.done_step_name:
            # The start and the done URL lead to the step reached. Submitting is a POST of the
            # review page; starting over, a confirmed POST (formtools' `?reset` would erase all).
            return redirect(self.get_step_url(self.steps.current))
        if step in CONTINUING_STEPS and not wizard_in_progress(request):
            return redirect("intake:session_ended")
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        posted = ManagementForm(self.request.POST, prefix=self.prefix)
        if posted.is_valid() and posted.cleaned_data["current_step"] not in self.get_form_list():
            raise SuspiciousOperation("The intake form names a step that does not exist.")
        already = self.already_submitted()
        if already is not None:
            return already
        if kwargs.get("step") in CONTINUING_STEPS and not wizard_in_progress(self.request):
            # The answers this page continues are gone (expired, or typed in another browser):
            # say so, rather than take this page's answers alone as a new questionnaire.
            return redirect("intake:session_ended")
        language = self.request.POST.get("switch_language")
        goto = self.request.POST.get("wizard_goto_step")
        start_over = "start_over" in self.request.POST
        resume_later = "resume_later" in self.request.POST
        if (
            language in dict(settings.LANGUAGES)
            or goto in self.get_form_list()
            or start_over
            or resume_later
        ):
            # Keep what is on this page, valid or not, before leaving it. The page is the step
            # the POST names: another tab may have moved the session's current step meanwhile.
            step = posted.cleaned_data["current_step"] if posted.is_valid() else None
            if step in self.get_form_list():
                self.storage.current_step = step
            if step in STEP_NAMES:
                form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)
                self.storage.set_step_data(step, self.get_form_step_data(form))
                self.drafts = self.drafts | {step}
            if language in dict(settings.LANGUAGES):
                return self.switch_language(language)
            if start_over:
                return redirect("intake:start_over")
            if resume_later:
                return redirect("intake:resume_request")
            return self.render_goto_step(goto)
        return super().post(*args, **kwargs)

    def switch_language(self, language: str) -> HttpResponse:
        with translation.override(language):
            response = redirect(self.get_step_url(self.steps.current))
        return set_language_cookie(response, language)

    def sent_already(self) -> bool:
        """Back (or the start) after sending: this session's intake was sent and no new one is
        under way, chosen, or opened from an invitation. Never an empty first page unasked."""
        session = self.request.session
        return (
            bool(latest_submitted(session))
            and not wizard_in_progress(self.request)
            and not session.get(NEW_INTAKE_SESSION_KEY)
            and session.get(INVITATION_SESSION_KEY) is None
        )

    def already_submitted(self) -> HttpResponse | None:
        """A re-sent POST of the review page (a double click, another tab) goes to the
        confirmation it produced: only this session's latest intake is recognised."""
        token = self.request.POST.get(f"{REVIEW_STEP}-submission_token")
        latest = latest_submitted(self.request.session)
        if not token or token != latest.get("submission_token"):
            return None
        return redirect("intake:submitted", reference=latest["reference"])

    @property
    def drafts(self) -> set[str]:
        """Steps kept without validation (left by Back or the language switch)."""
        return set(self.storage.extra_data.get("drafts", []))

    @drafts.setter
    def drafts(self, steps: set[str]) -> None:
        self.storage.extra_data = {**self.storage.extra_data, "drafts": sorted(steps)}

    def process_step(self, form: Any) -> Any:
        self.drafts = self.drafts - {self.steps.current}
        if self.invitation is not None and self.invitation.started_at is None:
            invitation_mark_started(invitation=self.invitation)
        return super().process_step(form)

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        if self.steps.current == REVIEW_STEP:
            invalid = self.first_invalid_step()
            if invalid is not None:
                return self.render_revalidation_failure(invalid, None)
        if (
            self.request.method == "GET"
            and self.steps.current in self.drafts
            and "check" not in self.request.GET
        ):
            # A page the patient left half-filled comes back as they left it, without errors
            # for questions they have not reached yet; errors show when they go on.
            form.full_clean()
            form._errors = ErrorDict()
        response = super().render(form, **kwargs)
        if answers_changed(form):
            # Nothing was saved: the page shows the answers as they are now, to send again.
            response.status_code = 409
        return response

    def render_revalidation_failure(
        self, failed_step: str, form: Any, **kwargs: Any
    ) -> HttpResponse:
        # Sent back from the review page to a page left half-filled: say what needs correcting.
        self.storage.current_step = failed_step
        check = "?check=1" if failed_step in self.drafts else ""
        return redirect(self.get_step_url(failed_step) + check)

    def render_next_step(self, form: Any, **kwargs: Any) -> HttpResponse:
        if self.request.POST.get("return_to_review"):
            self.storage.current_step = REVIEW_STEP
            return redirect(self.get_step_url(REVIEW_STEP))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form: Any, **kwargs: Any) -> HttpResponse:
        if not throttle.submission_take(self.request):
            form.add_error(
                None,
                _(
                    "Too many questionnaires have been sent from this connection. Your answers "
                    "are kept: please try again in an hour, or call the clinic."
                ),
            )
            response = self.render(form)
            response.status_code = 429
            return response
        # Create the intake on the review page's POST itself, not on a later GET of "done".
        return self.revalidated_done(form, **kwargs)

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        context["steps"] = [
            {"name": step.name, "label": step.label.in_language(translation.get_language())}
            for step in answers.STEPS
        ]
        context["step_number"] = STEP_NAMES.index(current) + 1 if current in STEP_NAMES else None
        context["step_count"] = len(STEP_NAMES)
        context["is_review"] = current == REVIEW_STEP
        context["answers_changed"] = answers_changed(form)
        context["return_to_review"] = self.request.GET.get("review") == "1"
        # Continue later (intake/resume/): once step 1 holds the date of birth the link asks for.
        context["resume_later"] = (
            settings.EMAIL_ENABLED
            and current != STEP_NAMES[0]
            and bool(self.get_cleaned_data_for_step(STEP_NAMES[0]))
        )
        context["has_answers"] = any(self.storage.get_step_data(step) for step in STEP_NAMES)
        if current == "consent":
            context["consent_document"] = self.consent_document
        # A repeat intake: answers on this page were carried over from the last visit.
        context["carried_here"] = bool(
            self.carried_answers
            if current == REVIEW_STEP
            else forms.step_initial(current, self.carried_answers)
        )
        if current == REVIEW_STEP:
            context["review_sections"] = selectors.answer_sections(
                self.get_all_cleaned_data(),
                language=translation.get_language(),
                carried=self.carried_answers,
            )
            # Drawn from the same stored answers as the sections: what the submit must match.
            context["answers_digest"] = self.answers_digest()
            context["submission_token"] = self.submission_token
        return context

    def done(self, form_list: Any, form_dict: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # The forms render_done has just validated: building them all again would double the work.
        answers_given = {
            key: value for form in form_list for key, value in form.cleaned_data.items()
        }
        intake = services.intake_submit(
            answers_given=answers_given,
            language=translation.get_language(),
            consent_document=self.consent_document,
            # The session's token, never the posted one: another's can neither be replayed
            # here nor make this patient's answers dropped.
            submission_token=uuid.UUID(self.submission_token),
            invitation=self.invitation,
            # A repeat invitation ties the intake to its patient and screens with their records.
            patient=self.invitation.patient if self.invitation else None,
        )
        if self.invitation is not None:
            birth_date_forget(self.request.session, scope=INVITATION_SCOPE, pk=self.invitation.pk)
        self.request.session.pop(INVITATION_SESSION_KEY, None)
        self.request.session.pop(NEW_INTAKE_SESSION_KEY, None)
        # Only the latest: an earlier intake's confirmation no longer opens in this browser.
        self.request.session[SUBMITTED_SESSION_KEY] = {
            "reference": intake.reference,
            "submission_token": self.submission_token,
        }
        return redirect("intake:submitted", reference=intake.reference)


def answers_changed(form: Any) -> bool:
    """Whether a review page was sent after its answers changed elsewhere (another tab)."""
    return form is not None and form.is_bound and form.has_error(NON_FIELD_ERRORS, ANSWERS_CHANGED)


# Answers are sensitive: no browser or proxy may keep a copy of these pages.
intake_wizard = never_cache(IntakeWizard.as_view(url_name="intake:step", done_step_name="done"))
# Where formtools keeps the wizard's answers in the session.
WIZARD_SESSION_KEY = BaseStorage(normalize_name(IntakeWizard.__name__)).prefix


def wizard_in_progress(request: HttpRequest) -> bool:
    """Whether this session holds answers of an unfinished intake (any step saved)."""
    step_data = request.session.get(WIZARD_SESSION_KEY, {}).get("step_data") or {}
    return any(step_data.values())


def wizard_discard(request: HttpRequest) -> None:
    """Erase the unfinished intake's answers; the next visit starts at the first step."""
    request.session.pop(WIZARD_SESSION_KEY, None)


def latest_submitted(session: Any) -> dict[str, str]:
    """The session's latest intake, {"reference", "submission_token"}, or {} if none."""
    latest = session.get(SUBMITTED_SESSION_KEY)
    return latest if isinstance(latest, dict) else {}


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Remember the patient's language as Django's own `set_language` does, with its settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_GET
def intake_start(request: HttpRequest) -> HttpResponse:
    return intake_wizard(request)
