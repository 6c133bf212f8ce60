"""The staff admin: intakes (read-only), the clinic's own words in both languages, invitations.

Who sees what:
- Doctors (`intake.review_intake`) see every answer, the screening result, the flags, decisions
  and access records of an intake. Everything about an intake is read-only here: what the patient
  said never changes, and decisions are made in the review workspace.
- Reception (`intake.view_queue`) sees the intake list with names, visit dates and status, and
  the contact details on the change page: no answer about health, no verdict, no flag. Reception
  also makes invitations here or on its own page (invitations:reception).
- The export to CSV needs `intake.export_intake`, which no group has: grant it to a person.
- Every admin page is marked never-cache by Django's admin itself (AdminSite.admin_view), the CSV
  export included: no browser or proxy keeps a copy.
- Staff accounts (users.py) that have opened an intake or recorded a decision are deactivated,
  never deleted: the access record and the decisions keep their author.
- Patient records, treatments and the links' history (patients.py) are read only here: they are
  made in the workspace; reception sees a patient's contact details, doctors the treatments too.
- API tokens of integrations (api.py): the administrator makes them, sees each once, revokes them.
- Decisions and access records (records.py) are read only. The long lists (lists.py) count up
  to 10,000 rows ("10,000+" beyond), have no date hierarchy or facets, and search by index.
- Staff need `is_staff` to sign in here: `demo_data` creates its users so; for real people the
  administrator ticks "Staff status" in Users and puts them in the Doctors or Reception group.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from intake.admin import api, content, intakes, invitations, patients, records, signins, users

__all__ = ["api", "content", "intakes", "invitations", "patients", "records", "signins", "users"]

admin.site.site_header = _("Clinic intake administration")
admin.site.site_title = _("Clinic intake")
admin.site.index_title = _("Administration")

# The task queue's own table (django-tasks-db registers it, in English only) holds ids and nothing
# staff act on: how each e-mail went is on reception's pages, the worker's log is in the journal.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
