from __future__ import annotations


def test_a_reset_password_must_be_changed_before_other_pages(client_for, clerk):
    clerk.must_change_password = True
    clerk.save(update_fields=["must_change_password"])
    client = client_for(clerk)
    response = client.get("/accounts/workbench/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200


def test_people_with_their_own_password_are_not_redirected(client_for, clerk):
    assert client_for(clerk).get("/accounts/workbench/").status_code == 200
