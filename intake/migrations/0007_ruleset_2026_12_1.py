"""Rule set 2026.12-1 adds RECORD_MISMATCH: its blank FlagText row, so that staff can word its
texts in the admin like every other rule's (the admin adds no rows; a blank field means the code's
text, see 0005).

The codes are written here, not read from intake.screening: this migration must keep meaning what
it meant when it was written. The rules whose texts changed in 2026.12-1 (RECENT_TOXIN,
TOXIN_PRODUCT_UNKNOWN, PLANNING_PREGNANCY) need nothing: their rows hold only staff's overrides,
which are kept, and a blank field already gives the new text.
"""

from django.db import migrations
from django.db.models import Q

NEW_CODES = ("RECORD_MISMATCH",)
TEXT_COLUMNS = [
    f"{field}_{language}"
    for field in ("title", "clinician_note", "patient_note")
    for language in ("ja", "en")
]


def add_blank_rows(apps, schema_editor):
    FlagText = apps.get_model("intake", "FlagText")
    for code in NEW_CODES:
        # An existing row (staff's texts, or this migration run before) is left as it is.
        FlagText.objects.get_or_create(
            code=code, defaults={column: "" for column in TEXT_COLUMNS}
        )


def remove_blank_rows(apps, schema_editor):
    """Back to 2026.11-1: the rows go unless staff wrote texts in them, which are kept."""
    FlagText = apps.get_model("intake", "FlagText")
    blank = Q()
    for column in TEXT_COLUMNS:
        blank &= Q(**{column: ""}) | Q(**{f"{column}__isnull": True})
    FlagText.objects.filter(blank, code__in=NEW_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_audit_history")]

    operations = [migrations.RunPython(add_blank_rows, remove_blank_rows)]
