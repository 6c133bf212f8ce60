"""Post/Redirect/Get for the intake wizard's pages (issue 13): no page the browser shows is the
answer to a POST, so a reload never sends a form again, nor drops what was just typed.

A page sent with answers to correct is kept as it was typed (a draft of that step, as Back keeps
one) and the browser is sent to the step's address with `?check=1`, where the page shows it
again with its errors and the error summary (Back already goes to its step's address: formtools'
NamedUrlWizardView redirects).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect

from intake import answers

HONEYPOT_FIELD = "website"  # intake.forms.AboutYouForm's field that only bots fill in


class RedirectAfterPost:
    """For IntakeWizard: the six steps' refused POSTs are redirected; the review page's (its
    answers changed meanwhile, too many submissions) answer with their own status."""

    redirected_steps: frozenset[str] = frozenset(step.name for step in answers.STEPS)

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        step = self.steps.current
        if (
            self.request.method == "POST"
            and step in self.redirected_steps
            and form is not None
            and form.is_bound
            and form.errors
            # A bot's page (the honeypot filled in) is answered as it is: nothing of it is kept.
            and not form.has_error(HONEYPOT_FIELD)
        ):
            self.storage.current_step = step  # None before a session's first saved page
            self.storage.set_step_data(step, self.get_form_step_data(form))
            self.drafts = self.drafts | {step}
            # A change from the review page stays on its way back there.
            back_to_review = "&review=1" if self.request.GET.get("review") == "1" else ""
            return redirect(f"{self.get_step_url(step)}?check=1{back_to_review}")
        return super().render(form, **kwargs)
