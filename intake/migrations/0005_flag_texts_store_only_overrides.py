"""Flag texts store only what staff override: a blank field means the code's text.

Until now every FlagText row held the rules' own texts (seeded by 0003), and the texts in force
were found by comparing each one with the rule's. Here any field still equal to its default of
rule set 2026.11-1 is cleared, so the texts of later rule sets reach doctors and patients unless
staff wrote their own; real edits are kept. A rule of that set without a row gets a blank one.

The defaults are frozen in flag_texts_2026_11_1.json beside this file, not imported from
intake.screening: the rules' texts change with later rule sets, and this migration must keep
meaning what it meant when it was written.
"""

import json
from pathlib import Path

from django.db import migrations, models

DEFAULTS_2026_11_1 = Path(__file__).with_name("flag_texts_2026_11_1.json")
FIELDS = ("title", "clinician_note", "patient_note")
LANGUAGES = ("ja", "en")


def keep_only_overrides(apps, schema_editor):
    FlagText = apps.get_model("intake", "FlagText")
    defaults = json.loads(DEFAULTS_2026_11_1.read_text(encoding="utf-8"))
    rows = {text.code: text for text in FlagText.objects.filter(code__in=list(defaults))}
    for code, texts in defaults.items():
        row = rows.get(code) or FlagText(code=code)
        changed = row.pk is None
        for field in FIELDS:
            default = texts[field] or {}  # null: the rule has no patient note
            for language in LANGUAGES:
                # Only the per-language columns: the untranslated one is modeltranslation's
                # shadow, never read, and assigning it on the live model would write a language.
                name = f"{field}_{language}"
                stored = getattr(row, name)
                unedited = (stored or "").strip() in ("", default.get(language, "").strip())
                kept = "" if unedited else stored
                if kept != stored:
                    setattr(row, name, kept)
                    changed = True
        if changed:
            row.save()


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0004_queue_count_and_all_statuses_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='flagtext',
            name='clinician_note',
            field=models.TextField(blank=True, verbose_name='clinician note'),
        ),
        migrations.AlterField(
            model_name='flagtext',
            name='clinician_note_en',
            field=models.TextField(blank=True, null=True, verbose_name='clinician note'),
        ),
        migrations.AlterField(
            model_name='flagtext',
            name='clinician_note_ja',
            field=models.TextField(blank=True, null=True, verbose_name='clinician note'),
        ),
        migrations.AlterField(
            model_name='flagtext',
            name='title',
            field=models.CharField(blank=True, max_length=200, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='flagtext',
            name='title_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='flagtext',
            name='title_ja',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='title'),
        ),
        # Reversing is a no-op: before this migration a blank field already read as the rule's
        # own text (the older selector fell back to it), so the cleared rows show doctors and
        # patients the same texts; copying the defaults back would only bring back the guessing
        # of which stored text is an edit.
        migrations.RunPython(keep_only_overrides, migrations.RunPython.noop),
    ]
