"""Text normalised at the edge (issue 10): full-width codes become ASCII, zero-width characters go,
direction overrides and control characters are refused with a message, masking sees what is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cunwu.accounts.forms import UserCreateForm
from cunwu.accounts.models import User
from cunwu.certificates.models import Application
from cunwu.certificates.tests.helpers import id_number
from cunwu.invisible import BIDI_MESSAGE, CONTROL_MESSAGE, normalise_code, strip_invisible, text_problem
from cunwu.masking import id_number_problem, mask_id_number, mask_name, mask_phone

from .factories import PASSWORD

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
VILLAGE = "530124103200"


def full_width(value: str) -> str:
    return value.translate(FULL_WIDTH)


def typed_application(number: str) -> dict[str, str]:
    """An application as typed on a phone: full-width digits, a zero-width space in the name."""
    return {
        "applicant_name": "岩\u200b温",
        "applicant_id_number": full_width(number),
        "applicant_phone": "１３８００００００００",
        "request_text": "开具居住证明",
        "purpose": "办理手续",
        "requesting_agency": "某公司",
    }


# --- pure ----------------------------------------------------------------------------------------


def test_full_width_codes_become_ascii():
    number = id_number()
    assert normalise_code(full_width(number)) == number
    assert normalise_code("\u3000５３０１２４\u200b") == "530124"
    assert id_number_problem(full_width(number)) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("张三\u202e", BIDI_MESSAGE),
        ("a\u2066b", BIDI_MESSAGE),
        ("a\x00b", CONTROL_MESSAGE),
        ("a\x1bb", CONTROL_MESSAGE),
    ],
)
def test_direction_overrides_and_controls_are_refused(text, problem):
    assert text_problem(text) == problem


def test_line_breaks_and_chinese_punctuation_stay():
    text = "第一行，（二）\r\n第二行\t完"
    assert text_problem(text) is None and strip_invisible(text) == text


def test_masking_works_on_the_text_as_shown():
    assert mask_name("张\u200b三") == "张*"
    assert mask_name("\u200b张\u200c三\u200d丰\ufeff") == "张*丰"
    assert mask_name("张\u202e三") == "张*"
    number = id_number()
    assert mask_id_number(full_width(number)) == mask_id_number(number) == number[:4] + "*" * 10 + number[-4:]
    assert mask_phone("１３８００００１２３４") == "138****1234"


# --- page forms ----------------------------------------------------------------------------------


def _form(**kw):
    data = {
        "username": "new_clerk",
        "display_name": "王五",
        "role": "village_clerk",
        "region": VILLAGE,
        "password": PASSWORD,
    } | kw
    return UserCreateForm(data)


def test_a_form_strips_zero_width_and_normalises_codes():
    form = _form(display_name="王\u200b五", region=full_width(VILLAGE), phone="１３８\u200b００００１２３４")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == "王五"
    assert form.cleaned_data["region"] == VILLAGE
    assert form.cleaned_data["phone"] == "13800001234"


@pytest.mark.parametrize("bad", ["王\u202e五", "王\x00五"])
def test_a_form_refuses_overrides_and_nul_at_the_field(bad):
    form = _form(display_name=bad)
    assert not form.is_valid()
    assert form.errors["display_name"][0] in (BIDI_MESSAGE, CONTROL_MESSAGE)


def test_passwords_are_left_exactly_as_typed():
    form = _form(password=PASSWORD + "\u200b")
    assert form.is_valid() and form.cleaned_data["password"] == PASSWORD + "\u200b"


@pytest.mark.django_db
def test_a_full_width_id_number_is_stored_as_ascii_and_found_again(client, village):
    number = id_number()
    url = reverse("certificates_public:apply_form", args=[village.code])
    assert client.post(url, typed_application(number)).status_code == 302
    app = Application.objects.get()
    assert app.applicant_id_number == number and app.applicant_phone == "13800000000"
    assert app.applicant_name == "岩温"
    status = client.post(
        reverse("certificates_public:apply_status"),
        {"receipt_number": app.receipt_number, "village": village.code, "id_number": number},
    )
    assert status.status_code == 200


@pytest.mark.django_db
def test_a_page_refuses_nul_with_a_chinese_message(client, village):
    url = reverse("certificates_public:apply_form", args=[village.code])
    response = client.post(url, {"applicant_name": "岩\x00温", "applicant_id_number": id_number()})
    assert response.status_code == 422 and "控制字符" in response.content.decode()
    assert not Application.objects.exists()


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_refuses_overrides_and_nul_at_the_field(api, db):
    for bad in ("village_clerk\x00", "village\u202eclerk"):
        response = api(None).post("auth/token", {"username": bad, "password": "whatever-1"})
        assert response.status_code == 422
        body = response.json()
        assert body["errors"][0]["field"] == "username" and "控制字符" in body["errors"][0]["message"]


def test_the_api_strips_zero_width_and_normalises_codes(api, clerk, village):
    number = id_number()
    client = api(clerk)
    response = client.post(
        "certificates/applications",
        typed_application(number) | {"region": full_width(village.code), "channel": "desk"},
    )
    assert response.status_code == 201, response.content
    app = Application.objects.get()
    assert app.applicant_id_number == number and app.applicant_name == "岩温"


def test_the_api_refuses_nul_in_the_query(api, clerk):
    response = api(clerk).get("certificates/applications", {"q": "a\x00"})
    assert response.status_code == 422


def test_usernames_in_full_width_sign_in(api, db):
    assert User.objects.filter(username="village_clerk").exists()
    from cunwu.accounts.demo import demo_password

    response = api(None).post("auth/token", {"username": "ｖｉｌｌａｇｅ＿ｃｌｅｒｋ", "password": demo_password()})
    assert response.status_code == 200
