"""What a person sees when something is not there or goes wrong: the site's own pages, never Django's."""

import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_page_that_does_not_exist_says_so_in_the_sites_own_words(signed_in, plan_manager):
    response = signed_in(plan_manager).get("/plans/NO-SUCH-PLAN/")
    assert response.status_code == 404
    assert "<title>Page not found – actiontrack</title>" in response.text
    assert "Go to your plans" in response.text and "URLconf" not in response.text


def test_an_outsider_gets_the_same_page_for_a_hidden_plan_as_for_a_missing_one(signed_in, outsider, demo):
    client = signed_in(outsider)
    hidden, missing = client.get("/plans/PIP-PR/"), client.get("/plans/NO-SUCH-PLAN/")
    assert hidden.status_code == missing.status_code == 404
    def without_token(text):  # the sign-out form's CSRF token is new on every page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    assert without_token(hidden.text) == without_token(missing.text)


def test_a_server_error_page_needs_no_request_and_shows_nothing_of_the_error():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text and "Traceback" not in text
