"""The intake wizard's stored answers as forms, each built and validated once per request.

formtools builds a step's form from the session each time it is asked for one: the review page
built every step's form twice (to check them, then to list their answers), the submit every
step's again. Here a request builds each step's form once and asks it again; a change of the
stored answers (WizardSessionStorage.version) makes them built anew. Nothing is kept between
requests: each request has its own view instance.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from intake import answers

STEP_NAMES = tuple(step.name for step in answers.STEPS)


class StoredForms:
    """For IntakeWizard: the stored answers' forms, once per request."""

    def stored_form(self, step: str) -> Any:
        """The form of `step` bound to its stored answers (unbound when there are none)."""
        cache: dict[tuple[str, int], Any] = self.__dict__.setdefault("_stored_forms", {})
        key = (step, self.storage.version)
        if key not in cache:
            cache[key] = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
        return cache[key]

    def get_cleaned_data_for_step(self, step: str) -> dict[str, Any] | None:
        if step not in self.form_list:
            return None
        form = self.stored_form(step)
        return form.cleaned_data if form.is_valid() else None

    def get_all_cleaned_data(self) -> dict[str, Any]:
        """Every step's valid answers, merged (the review page's own form is not an answer)."""
        cleaned: dict[str, Any] = {}
        for step in STEP_NAMES:
            cleaned.update(self.get_cleaned_data_for_step(step) or {})
        return cleaned

    def first_invalid_step(self) -> str | None:
        for step in STEP_NAMES:
            form = self.stored_form(step)
            if not form.is_bound or not form.is_valid():
                return step
        return None

    def revalidated_done(self, form: Any, **kwargs: Any) -> HttpResponse:
        """formtools' render_done with each step validated once: every step's stored answers
        are validated again (nothing sent earlier is trusted), with the review page's `form`."""
        final_forms = {step: self.stored_form(step) for step in STEP_NAMES}
        for step, step_form in final_forms.items():
            if not step_form.is_valid():
                return self.render_revalidation_failure(step, step_form, **kwargs)
        final_forms[self.steps.current] = form
        response = self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)
        self.storage.reset()
        return response
