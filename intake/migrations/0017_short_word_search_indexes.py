from django.db import migrations

# A word of one or two characters (佐藤, 美咲: most of the names searched at the desk) has no
# trigram, so PostgreSQL reads the whole table for `LIKE '%佐藤%'`. pg_bigm would index it but is
# not packaged for Debian; this is its idea done with pg_trgm. `intake_bigram_words` writes a name
# without its spaces as the words of each pair of adjacent characters, the last character alone:
# '佐藤 美咲' -> ' 佐藤 藤美 美咲 咲 '. A two-character word is then a whole word there
# (`LIKE '% 佐藤 %'`) and a one-character word the start of one (`LIKE '% 佐%'`), and pg_trgm
# indexes both ('  佐', ' 佐藤', '佐藤 '). intake/search.py writes the same expressions
# (`BigramWords`). The function doubles every character (佐佐藤藤美美咲咲), drops the first and
# cuts the rest in twos. SQLite searches the table as before and gets no function.
BIGRAM_WORDS = (
    "CREATE OR REPLACE FUNCTION intake_bigram_words(name text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT ' ' || regexp_replace(substr(regexp_replace("
    "replace(replace(name, ' ', ''), '\u3000', ''), '(.)', '\\1\\1', 'g'), 2), "
    "'(..)', '\\1 ', 'g') || ' ' $$"
)

# Each on the expression Django writes for `icontains` on BigramWords, for PostgreSQL to find it.
BIGRAM_INDEXES = {
    "intake_intake": {
        "intake_name_bigram_trgm": "full_name",
        "intake_kana_bigram_trgm": "full_name_kana",
    },
    "intake_patient": {
        "patient_name_bigram_trgm": "full_name",
        "patient_kana_bigram_trgm": "full_name_kana",
    },
}


def create_bigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(BIGRAM_WORDS)
    for table, indexes in BIGRAM_INDEXES.items():
        for name, column in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER((intake_bigram_words({column}))::text)) gin_trgm_ops)"
            )


def drop_bigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for indexes in BIGRAM_INDEXES.values():
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_bigram_words(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0016_admin_lists_and_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_bigram_indexes, drop_bigram_indexes),
    ]
