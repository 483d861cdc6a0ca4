"""No full IIN in lists (issue 12): the last four digits there, the whole number on the record."""

from django.urls import reverse

from qorgau.core.iin import mask_iin


def test_the_juvenile_list_masks_the_iin_and_the_record_shows_it(client, investigator, juvenile):
    client.force_login(investigator)
    listed = client.get(reverse("juvenile_list")).content.decode()
    assert juvenile.iin not in listed and mask_iin(juvenile.iin) in listed
    record = client.get(reverse("juvenile_detail", args=[juvenile.pk])).content.decode()
    assert juvenile.iin in record


def test_the_api_list_masks_the_iin_and_the_record_has_it(client, investigator, juvenile):
    client.force_login(investigator)
    [row] = client.get("/api/juveniles").json()["results"]
    assert row["iin_masked"] == mask_iin(juvenile.iin) and "iin" not in row
    assert client.get(f"/api/juveniles/{juvenile.pk}").json()["iin"] == juvenile.iin


def test_the_choice_of_a_child_for_a_case_masks_the_iin(client, investigator, juvenile):
    client.force_login(investigator)
    page = client.get(reverse("case_create")).content.decode()
    assert juvenile.full_name in page
    assert juvenile.iin not in page and mask_iin(juvenile.iin) in page
