"""Where a webhook may go: https to public addresses only, unless configured for tests."""

from __future__ import annotations

import pytest

from tracker.webhooks import targets


@pytest.fixture
def strict(app):
    app.config.update(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_ALLOW_PRIVATE=False)
    return app


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.9/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_loopback_private_and_link_local_addresses_are_refused(strict, url):
    with pytest.raises(targets.Refused):
        targets.resolve(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # plain http
        "ftp://93.184.216.34/hook",
        "https://user:pass@93.184.216.34/hook",
        "https://93.184.216.34/hook#part",
        "https:///hook",
        "https://93.184.216.34:99999/hook",
        "hooks.example.org/x",
    ],
)
def test_urls_of_the_wrong_form_are_refused(strict, url):
    with pytest.raises(targets.Refused):
        targets.resolve(url)


def test_a_public_https_address_is_allowed(strict):
    target = targets.resolve("https://93.184.216.34:8443/in?x=1")
    assert (target.scheme, target.port, target.path) == ("https", 8443, "/in?x=1")
    assert target.address == "93.184.216.34"


def test_tests_may_allow_http_to_loopback(app):
    app.config.update(WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True)
    assert targets.resolve("http://127.0.0.1:8080/hook").address == "127.0.0.1"


def test_an_international_name_is_sent_in_its_ascii_form(strict):
    assert targets._split("https://bücher.example/in")[1] == "xn--bcher-kva.example"


@pytest.mark.parametrize("url", ["https://93.184.216.34/a b", "https://93.184.216.34/\x7f"])
def test_a_path_with_spaces_or_control_characters_is_refused(strict, url):
    with pytest.raises(targets.Refused):
        targets.check_form(url)
