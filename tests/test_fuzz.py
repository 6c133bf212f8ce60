"""Fuzzing: random and malformed POSTs to every wizard step and the doctor's decision form, and
random path segments and query strings on every URL of the project, for every role.

Whatever arrives, the answer is never a 500: invalid data gives the form back with its errors,
a tampered or oversized request is a 400. Examples are bounded so the file runs in seconds; a
failure prints the example that found it (and Hypothesis replays it first on the next run).
"""

from __future__ import annotations

import datetime
import os
import re
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import answers, forms
from intake.api.services import api_token_issue
from intake.invitations.services import invitation_create
from intake.models import ApiToken, Decision, Intake
from intake.review import forms as review_forms
from intake.review import selectors as review_selectors
from tests.wizard_http import (
    MANAGEMENT_FIELD,
    REVIEW_STEP,
    SESSION_KEY,
    STEP_NAMES,
    wizard_session_data,
)

# Examples per test: small by default so the suite stays quick; FUZZ_EXAMPLES=500 for a long run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
URLENCODED = "application/x-www-form-urlencoded"


WIZARD_STEPS = (*STEP_NAMES, REVIEW_STEP)
# Names the wizard reads besides the form's own fields.
WIZARD_CONTROLS = ("wizard_goto_step", "switch_language", "return_to_review")

# Values -----------------------------------------------------------------------------------------
printable = st.characters(exclude_categories=("Cs",))  # lone surrogates can't be sent as UTF-8
all_codes = sorted({c.code for q in answers.QUESTIONS.values() for c in q.choices})
odd_dates = st.sampled_from(
    [
        "2026-02-30",
        "0000-00-00",
        "9999-12-31",
        "1-1-1",
        "２０２６年１３月１日",
        "1995/04/10",
        "1995年4月10日",
        "10/04/1995",
        "-1",
        "1e9",
        "NaN",
    ]
)
values = st.one_of(
    st.text(printable, max_size=40),
    st.sampled_from(all_codes),
    st.sampled_from(["true", "false", "on", "off", "", " ", "null", "None", "[]", "{}"]),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    odd_dates,
    st.integers().map(str),
    st.sampled_from(["\x00", "a\x00b", "\u202e\u200b", "🙂" * 3, "ｶﾀｶﾅ", "<script>x</script>"]),
    # Huge values: one is under the request size limit; several may pass it (then a 400).
    st.integers(min_value=1_000, max_value=60_000).map(lambda n: "あ" * n),
)
value_lists = st.lists(values, max_size=3)


@st.composite
def post_data(draw: st.DrawFn, fields: list[str], management: str | None) -> dict[str, list[str]]:
    """Some of `fields` (each missing, empty, one value or several), extra fields, a step name."""
    data: dict[str, list[str]] = {}
    for name in fields:
        chosen = draw(st.none() | value_lists)
        if chosen is not None:
            data[name] = chosen
    data |= draw(
        st.dictionaries(
            st.one_of(
                st.text(printable, min_size=1, max_size=20), st.sampled_from(WIZARD_CONTROLS)
            ),
            value_lists,
            max_size=3,
        )
    )
    if management is not None:
        data[MANAGEMENT_FIELD] = draw(
            st.one_of(
                st.just([management]),
                st.just([management]),  # mostly the step posted, as a browser sends it
                st.builds(list, st.lists(st.sampled_from(WIZARD_STEPS), max_size=2)),
                # A step name the wizard does not have: see the test of its own below.
            )
        )
    return data


def encode(data: dict[str, list[str]]) -> bytes:
    return urllib.parse.urlencode(data, doseq=True).encode()


def form_fields(step: str, prefix: str) -> list[str]:
    if step == REVIEW_STEP:
        names = list(forms.ReviewForm().fields)
    else:
        names = list(forms.STEP_FORMS[step](today=datetime.date.today()).fields)
    return [f"{prefix}-{name}" for name in names]


def management_is_valid(data: dict[str, list[str]]) -> bool:
    sent = data.get(MANAGEMENT_FIELD)
    return bool(sent) and sent[-1] in WIZARD_STEPS


# The wizard -------------------------------------------------------------------------------------
@pytest.fixture
def wizard_client(db: Any, valid_answers: dict[str, Any]) -> Callable[[str], Client]:
    """A patient's browser with every step answered, put back on `step` before each example."""
    client = Client()
    client.get("/en/intake/")

    def at_step(step: str) -> Client:
        session = client.session
        stored = wizard_session_data(valid_answers, token=str(uuid.uuid4()))
        session[SESSION_KEY] = stored | {"step": step}
        session.save()
        return client

    return at_step


def assert_wizard_answered_properly(response: Any, data: dict[str, list[str]]) -> None:
    assert response.status_code != 500
    if len(encode(data)) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        assert response.status_code == 400  # RequestDataTooBig
    elif not management_is_valid(data):
        # formtools: "ManagementForm data is missing or has been tampered" (SuspiciousOperation).
        assert response.status_code == 400
    elif response.status_code == 200:
        form = response.context["wizard"]["form"]
        assert form.errors, "a 200 to a POST must be the form given back with its errors"
        assert 'class="alert alert-danger error-summary"' in response.content.decode()
    elif response.status_code == 409:
        # The review page's answers changed since it was shown (a made-up digest here): the
        # page comes back with the current answers and says so.
        assert response.context["answers_changed"]
        assert 'class="alert alert-warning" role="alert"' in response.content.decode()
    else:
        # Valid, or a move to another step (back, language): the wizard redirects.
        assert response.status_code == 302


@pytest.mark.parametrize("step", WIZARD_STEPS)
def test_random_posts_to_a_wizard_step_never_cause_a_server_error(
    wizard_client: Callable[[str], Client], step: str
) -> None:
    url = reverse("intake:step", kwargs={"step": step})
    fields = form_fields(step, step)

    @FUZZ
    @given(data=post_data(fields, step))
    def post(data: dict[str, list[str]]) -> None:
        client = wizard_client(step)
        response = client.post(url, encode(data), content_type=URLENCODED)
        assert_wizard_answered_properly(response, data)

    post()


@FUZZ
@given(body=st.binary(max_size=2_000))
def test_a_garbage_body_to_the_wizard_is_a_400_or_the_form_again(
    wizard_client: Callable[[str], Client], body: bytes
) -> None:
    client = wizard_client("about_you")
    response = client.post(
        reverse("intake:step", kwargs={"step": "about_you"}), body, content_type=URLENCODED
    )

    assert response.status_code in (200, 302, 400)


@FUZZ
@given(body=st.binary(max_size=2_000))
def test_a_malformed_multipart_body_to_the_wizard_is_never_a_server_error(
    wizard_client: Callable[[str], Client], body: bytes
) -> None:
    client = wizard_client("skin")
    response = client.post(
        reverse("intake:step", kwargs={"step": "skin"}),
        b"--BOUNDARY\r\n" + body,
        content_type="multipart/form-data; boundary=BOUNDARY",
    )

    assert response.status_code in (200, 302, 400)


def test_a_request_over_the_size_limit_is_refused_with_400(
    wizard_client: Callable[[str], Client],
) -> None:
    client = wizard_client("health")
    huge = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    data = {MANAGEMENT_FIELD: ["health"], "health-allergy_details": [huge]}

    response = client.post(
        reverse("intake:step", kwargs={"step": "health"}), encode(data), content_type=URLENCODED
    )

    assert response.status_code == 400


def test_a_request_with_too_many_fields_is_refused_with_400(
    wizard_client: Callable[[str], Client],
) -> None:
    client = wizard_client("skin")
    many = {f"skin-field{i}": ["x"] for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}

    response = client.post(
        reverse("intake:step", kwargs={"step": "skin"}),
        encode({MANAGEMENT_FIELD: ["skin"], **many}),
        content_type=URLENCODED,
    )

    assert response.status_code == 400


@pytest.mark.parametrize("posted", ["0", "done", "../admin", "REVIEW"])
def test_a_wizard_post_naming_a_step_that_does_not_exist_is_a_400(
    wizard_client: Callable[[str], Client], posted: str
) -> None:
    client = wizard_client("about_you")

    response = client.post(
        reverse("intake:step", kwargs={"step": "about_you"}),
        encode({MANAGEMENT_FIELD: [posted]}),
        content_type=URLENCODED,
    )

    assert response.status_code == 400


def test_a_wizard_post_without_its_management_form_is_a_400(
    wizard_client: Callable[[str], Client], valid_answers: dict[str, Any]
) -> None:
    client = wizard_client("about_you")

    response = client.post(
        reverse("intake:step", kwargs={"step": "about_you"}),
        encode({"about_you-full_name": [valid_answers["full_name"]]}),
        content_type=URLENCODED,
    )

    assert response.status_code == 400
    assert not Intake.objects.exists()


# The doctor's decision ----------------------------------------------------------------------------
@pytest.fixture
def flagged_intake(make_intake: Callable[..., Intake]) -> Intake:
    """Contraindications and review flags, so the decision form asks for acknowledgements."""
    intake = make_intake(
        pregnancy="pregnant",
        medications=["aminoglycoside"],
        isotretinoin="current",
    )
    assert review_forms.DecisionForm(flags=_flags(intake)).flags
    return intake


def _flags(intake: Intake) -> list[Any]:
    return review_selectors.flags_to_acknowledge(intake)


def decision_fields(intake: Intake) -> list[str]:
    return list(review_forms.DecisionForm(flags=_flags(intake)).fields)


decision_values = st.one_of(
    values,
    st.sampled_from(Decision.Outcome.values),
    st.sampled_from([str(2**63), str(-(2**63) - 1), "1" * 40, "0", "-1", "1.5"]),
)


@FUZZ
@given(data=st.data())
def test_random_posts_to_the_decision_form_never_cause_a_server_error(
    doctor_client: Client, flagged_intake: Intake, data: st.DataObject
) -> None:
    url = reverse("review:decide", kwargs={"reference": flagged_intake.reference})
    fields = decision_fields(flagged_intake)
    sent: dict[str, list[str]] = {}
    for name in fields:
        chosen = data.draw(st.none() | st.lists(decision_values, max_size=2), label=name)
        if chosen is not None:
            sent[name] = chosen
    sent |= data.draw(
        st.dictionaries(st.text(printable, min_size=1, max_size=20), value_lists, max_size=2),
        label="extra fields",
    )
    before = Decision.objects.count()

    response = doctor_client.post(url, encode(sent), content_type=URLENCODED)

    assert response.status_code in (302, 400, 409), response.status_code
    if response.status_code == 302:
        assert Decision.objects.count() == before + 1
    else:
        assert Decision.objects.count() == before
        form = response.context["form"]
        assert form.errors or response.status_code == 409


def test_a_decision_whose_based_on_overflows_the_database_integer_is_an_error_not_a_crash(
    doctor_client: Client, flagged_intake: Intake
) -> None:
    url = reverse("review:decide", kwargs={"reference": flagged_intake.reference})
    data = {
        "outcome": "approved",
        "based_on": str(2**63),
        **{field: "on" for field in decision_fields(flagged_intake) if field.startswith("ack_")},
    }

    response = doctor_client.post(url, data)

    assert response.status_code in (400, 409)
    assert not Decision.objects.exists()


# The review queue's filters (a GET, but typed by people) ----------------------------------------
@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["q", "status", "visit_from", "visit_to", "verdict", "suitability", "flag", "page"]
        ),
        st.lists(values, min_size=1, max_size=2),
        max_size=6,
    )
)
def test_random_queue_filters_never_cause_a_server_error(
    doctor_client: Client, make_intake: Callable[..., Intake], query: dict[str, list[str]]
) -> None:
    if not Intake.objects.exists():
        make_intake()
    # Keep the URL within what a proxy accepts; huge values are the POST tests' business.
    query = {key: [value[:200] for value in values] for key, values in query.items()}

    response = doctor_client.get(
        reverse("review:queue") + "?" + urllib.parse.urlencode(query, doseq=True)
    )

    # NUL is refused before any view (intake.middleware); anything else gives the queue.
    sent = [text for key, values in query.items() for text in (key, *values)]
    assert response.status_code == (400 if any("\x00" in text for text in sent) else 200)


# Every URL of the project, with random path segments and query strings --------------------------
def url_templates(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every URL pattern under `patterns` as a %-format string of its parameters, e.g.
    "%(language)s/review/%(reference)s/"."""
    found = []
    for pattern in patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            template = "%(language)s/"
        else:
            # What reverse() reads: the pattern's regex as a format string (first alternative).
            template, _params = normalize(pattern.pattern.regex.pattern)[0]
        if isinstance(pattern, URLResolver):
            found += url_templates(pattern.url_patterns, prefix + template)
        else:
            found.append(prefix + template)
    return found


URL_TEMPLATES = url_templates(get_resolver().url_patterns)
# Each example visits every URL once per role: fewer examples than the other tests take.
URL_FUZZ = settings(FUZZ, max_examples=max(2, EXAMPLES // 3))
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Already percent-encoded: NUL and other controls, broken escapes, invalid UTF-8, dot segments.
ENCODED_ODDITIES = [
    "%00",
    "a%00b",
    "%0A",
    "%0D%0A",
    "%09",
    "%7F",
    "%C2%85",
    "%zz",
    "%",
    "%%",
    "%C3%28",
    "%FF",
    "%E3%81",
    "..",
    "%2e%2e",
    "%2F",
    "a%2Fb",
    "%25",
    "%u0000",
    "%EF%BB%BF",
    "%F0%9F%99%82",
]
NUMBERS = ["0", "-1", "1", "2147483648", "9223372036854775808", "9" * 40, "1e9", "0x10", "１２"]


def segments(known: list[str]) -> st.SearchStrategy[str]:
    """One path segment, percent-encoded as a browser would send it (or oddly encoded)."""
    plain = st.one_of(
        st.text(printable, max_size=30).map(lambda text: urllib.parse.quote(text, safe="")),
        st.sampled_from(known),  # real references, ids, tokens, app labels, steps
    )
    return st.one_of(
        plain,
        st.sampled_from(ENCODED_ODDITIES),
        st.sampled_from(NUMBERS),
        st.integers(min_value=200, max_value=4_000).map(lambda n: "x" * n),
        st.integers(min_value=50, max_value=500).map(lambda n: "%E3%81%82" * n),  # あ…
        # A real value with a NUL or a line break in it.
        st.builds(
            lambda value, control, at: value[:at] + control + value[at:],
            plain,
            st.sampled_from(["%00", "%0A", "%0D", "%1B"]),
            st.integers(min_value=0, max_value=40),
        ),
    )


QUERY_NAMES = [
    *("q", "page", "p", "o", "e", "status", "verdict", "suitability", "flag", "reference"),
    *("visit_from", "visit_to", "next", "check", "review", "language", "all", "_popup"),
    *("_to_field", "_changelist_filters", "id__exact", "intake__id__exact", "action__exact"),
    *("at__gte", "at__lt", "decided_at__gte", "created_at__day", "is_active__exact"),
    *("_lastUpdated", "_count", "_cursor"),  # the FHIR API's search
]


def query_strings() -> st.SearchStrategy[str]:
    values = st.one_of(
        st.text(printable, max_size=30),
        st.sampled_from(NUMBERS),
        st.sampled_from(["", "\x00", "a\x00b", "\n", "🙂", "ｶﾀｶﾅ", "2026-02-30", "!", "-"]),
        # The FHIR API's dates, at the edges of what a datetime holds.
        st.sampled_from(
            [
                "ge2026-12-01",
                "gt2026-12-01T09:00:00+09:00",
                "ge0001-01-01T00:00:00+14:00",
                "gt9999-12-31T23:59:59.999999-14:00",
                "ge2026-12-01T09:00",
            ]
        ),
    )
    names = st.one_of(st.sampled_from(QUERY_NAMES), st.text(printable, min_size=1, max_size=10))
    encoded = st.dictionaries(names, st.lists(values, min_size=1, max_size=2), max_size=4).map(
        lambda query: urllib.parse.urlencode(query, doseq=True)
    )
    return st.one_of(encoded, st.sampled_from(["", "%00", "q=%zz", "a=%FF", "&&=&", "=x", "q"]))


@pytest.fixture
def known_values(make_intake: Callable[..., Intake], doctor: User) -> list[str]:
    """Values that reach further than a random one: real ids, references, tokens and labels."""
    intake = make_intake()
    invitation = invitation_create(
        full_name="佐藤 美咲", visit_date=intake.visit_date, language="ja", phone="0312345678"
    )
    return [
        intake.reference,
        intake.reference.replace("-", "").lower(),
        str(intake.pk),
        str(invitation.pk),
        invitation.token,
        str(doctor.pk),
        str(ContentType.objects.get_for_model(Intake).pk),
        *("intake", "auth", "axes", "about_you", "review", "done", "0001"),
    ]


@pytest.fixture(params=["anonymous", "doctor", "receptionist", "superuser", "integration"])
def visitor(
    request: pytest.FixtureRequest, staff_client: Callable[[str], Client], superuser: User
) -> Client:
    """Each role in turn; the doctor and reception with the staff status the admin asks for;
    an integration with its FHIR API token."""
    if request.param == "integration":
        secret = api_token_issue(token=ApiToken(name="Fuzz"), created_by=superuser)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return Client() if request.param == "anonymous" else staff_client(request.param)


@URL_FUZZ
@given(data=st.data())
def test_random_segments_and_queries_on_every_url_never_cause_a_server_error(
    visitor: Client, known_values: list[str], data: st.DataObject
) -> None:
    languages = st.sampled_from([code for code, _name in django_settings.LANGUAGES])
    # Mostly a real language, so that the rest of the path is what gets tested.
    prefixes = st.one_of(languages, languages, languages, segments(known_values))
    for template in URL_TEMPLATES:
        path = PLACEHOLDER.sub(
            lambda found: data.draw(
                prefixes if found.group(1) == "language" else segments(known_values)
            ),
            template,
        )
        query = data.draw(query_strings())
        url = f"/{path}" + (f"?{query}" if query else "")

        response = visitor.get(url)

        assert response.status_code < 500, url


# The same, every URL with each kind of segment the issue named: no luck needed.
SEGMENT_KINDS = {
    "nul": ("a%00b", "q=a%00b&reference=AB%00C"),
    "line break": ("AB%0AC", "next=%0D%0A"),
    "very long": ("x" * 3_000, "q=" + "y" * 2_000),
    "unicode": ("%E5%95%8F%E8%A8%BA%F0%9F%99%82" * 30, "q=%EF%BC%A1%E2%80%AE"),
    "invalid utf-8": ("%C3%28%FF", "q=%FF&%E3%81=1"),
}


@pytest.mark.parametrize("kind", SEGMENT_KINDS)
def test_every_url_with_a_nul_long_unicode_or_broken_segment_is_never_a_server_error(
    visitor: Client, known_values: list[str], kind: str
) -> None:
    segment, query = SEGMENT_KINDS[kind]
    for template in URL_TEMPLATES:
        path = PLACEHOLDER.sub(
            lambda found: "ja" if found.group(1) == "language" else segment, template
        )
        url = f"/{path}?{query}"

        response = visitor.get(url)

        assert response.status_code < 500, url
