"""No response holding personal data may be cached; no page may use camera, microphone etc."""

import pytest
from django.urls import reverse

FEATURES_DENIED = ["camera", "microphone", "geolocation", "payment", "usb"]


def assert_protected(response):
    assert response["Cache-Control"] == "no-store"
    policy = response["Permissions-Policy"]
    for feature in FEATURES_DENIED:
        assert f"{feature}=()" in policy


def test_a_childs_record_page_is_not_stored(client, investigator, juvenile):
    client.force_login(investigator)
    response = client.get(reverse("juvenile_detail", args=[juvenile.pk]))
    assert response.status_code == 200
    assert juvenile.last_name in response.content.decode()
    assert_protected(response)


def test_an_api_record_is_not_stored(client, investigator, juvenile):
    client.force_login(investigator)
    response = client.get(f"/api/juveniles/{juvenile.pk}")
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.parametrize("path", ["/api/me", "/api/juveniles/999999"])
def test_api_errors_are_not_stored_either(client, db, path):
    response = client.get(path)
    assert response.status_code == 401
    assert_protected(response)


def test_the_sign_in_page_and_its_redirects_are_not_stored(client, db):
    assert_protected(client.get(reverse("login")))
    assert_protected(client.get(reverse("juvenile_list")))


def test_a_refused_page_is_not_stored(client, analyst, juvenile):
    client.force_login(analyst)
    response = client.get(reverse("juvenile_detail", args=[juvenile.pk]))
    assert response.status_code in {403, 404}
    assert_protected(response)


def test_static_files_keep_their_caching(client, db):
    response = client.get("/static/qorgau/qorgau.css")
    assert response.status_code == 200
    assert response.get("Cache-Control", "") != "no-store"
