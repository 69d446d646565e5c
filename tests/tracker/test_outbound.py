"""The outbound guard: internal targets are refused, where the name resolves now, every time."""

import ipaddress
import socket

import pytest

from tracker import outbound

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture

REAL_GETADDRINFO = socket.getaddrinfo


def resolve_as(monkeypatch, mapping: dict[str, list[str]]):
    """Make chosen names resolve to chosen addresses (other names resolve for real)."""

    def fake(host, port, *args, **kwargs):
        if host in mapping:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in mapping[host]]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize("url", [
    "ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)", "http:///nohost",
    "https://user:pw@example.org/", "http://example.org:99999/", "not a url", "",
])
def test_it_refuses_a_url_that_is_wrong_on_its_face(url):
    with pytest.raises(outbound.TargetRefused):
        outbound.parse_target(url)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "169.254.1.1",
    "0.0.0.0", "224.0.0.1", "240.0.0.1", "100.64.0.1", "::1", "fe80::1", "fc00::1",  # noqa: S104
    "::ffff:127.0.0.1", "ff02::1", "::",
])
def test_it_refuses_internal_addresses_by_default(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert outbound.address_problem(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:1b2e"])
def test_it_accepts_public_addresses(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert outbound.address_problem(ipaddress.ip_address(address)) is None


def test_the_setting_allows_loopback_and_private_addresses(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert outbound.address_problem(ipaddress.ip_address("127.0.0.1")) is None
    assert outbound.address_problem(ipaddress.ip_address("10.0.0.5")) is None


@pytest.mark.parametrize("address", ["169.254.169.254", "169.254.10.10", "224.0.0.1", "0.0.0.0"])  # noqa: S104
def test_the_setting_never_allows_metadata_link_local_multicast_or_unspecified(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert outbound.address_problem(ipaddress.ip_address(address)) is not None


def test_a_name_resolving_to_loopback_is_refused_without_the_setting(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    resolve_as(monkeypatch, {"hooks.example.test": ["127.0.0.1"]})
    with pytest.raises(outbound.TargetRefused, match="127.0.0.1, a loopback address"):
        outbound.check_url("https://hooks.example.test/in")


def test_a_name_resolving_to_the_metadata_address_is_refused(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    resolve_as(monkeypatch, {"metadata.example.test": ["169.254.169.254"]})
    with pytest.raises(outbound.TargetRefused, match="cloud metadata"):
        outbound.check_url("http://metadata.example.test/latest/meta-data/")


def test_one_internal_address_among_public_ones_refuses_the_name(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    resolve_as(monkeypatch, {"mixed.example.test": ["93.184.215.14", "10.0.0.1"]})
    with pytest.raises(outbound.TargetRefused, match="10.0.0.1"):
        outbound.check_url("https://mixed.example.test/")


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(outbound.TargetRefused, match="does not resolve"):
        outbound.check_url("https://no-such-host.invalid/")


def test_a_post_to_a_refused_target_is_a_failed_outcome_not_an_exception(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    outcome = outbound.post("http://127.0.0.1:9/hook", body=b"{}", headers={})
    assert outcome.status_code is None
    assert not outcome.succeeded
    assert "loopback" in outcome.error


def test_the_connection_goes_to_the_checked_address_with_the_original_host_header(monkeypatch, receiver):
    # The name is resolved once by the guard and the socket is opened to that
    # very address: a DNS answer that changes afterwards is never used.
    resolve_as(monkeypatch, {"hooks.example.test": ["127.0.0.1"]})
    outcome = outbound.post(f"http://hooks.example.test:{receiver.port}/in?x=1", body=b"{}", headers={})
    assert outcome.status_code == 200
    assert receiver.requests[0].headers["host"] == f"hooks.example.test:{receiver.port}"
    assert receiver.requests[0].path == "/in?x=1"


def test_a_target_that_rebinds_to_an_internal_address_is_refused_at_delivery(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    resolve_as(monkeypatch, {"rebind.example.test": ["93.184.215.14"]})
    outbound.check_url("https://rebind.example.test/")  # fine when created
    resolve_as(monkeypatch, {"rebind.example.test": ["127.0.0.1"]})
    outcome = outbound.post("https://rebind.example.test/", body=b"{}", headers={})
    assert outcome.status_code is None
    assert "127.0.0.1" in outcome.error


def test_redirects_are_not_followed(receiver):
    receiver.answers = [302]
    outcome = outbound.post(receiver.url, body=b"{}", headers={})
    assert outcome.status_code == 302
    assert not outcome.succeeded
    assert receiver.count() == 1



@pytest.fixture
def tls_receiver(tmp_path, monkeypatch, settings):
    """An HTTPS receiver for the name hooks.example.test (self-signed), resolving to 127.0.0.1."""
    import ssl
    import subprocess

    from tests.digests.webhook_support import Receiver

    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=hooks.example.test", "-addext", "subjectAltName=DNS:hooks.example.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    resolve_as(monkeypatch, {"hooks.example.test": ["127.0.0.1"]})
    with Receiver(tls_context=context) as running:
        running.cert = cert
        yield running


def test_https_checks_the_certificate_against_the_name_in_the_url(tls_receiver):
    outcome = outbound.post(f"https://hooks.example.test:{tls_receiver.port}/in", body=b"{}", headers={})
    assert outcome.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in outcome.error


def test_https_to_the_pinned_address_works_with_a_trusted_certificate(tls_receiver, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_receiver.cert))
    outcome = outbound.post(f"https://hooks.example.test:{tls_receiver.port}/in", body=b"{}", headers={})
    assert outcome.status_code == 200, outcome.error
    assert tls_receiver.requests[0].headers["host"] == f"hooks.example.test:{tls_receiver.port}"


@pytest.mark.parametrize("name", ["OUTBOUND_ALLOW_PRIVATE_TARGETS", "WEBHOOKS_ALLOW_PRIVATE_TARGETS"])
def test_either_name_of_the_one_switch_allows_private_targets_for_every_fetch(settings, name):
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert outbound.address_problem(ipaddress.ip_address("127.0.0.1")) == "a loopback address"
    setattr(settings, name, True)
    assert outbound.address_problem(ipaddress.ip_address("127.0.0.1")) is None
    assert outbound.address_problem(ipaddress.ip_address("169.254.169.254")) == "a cloud metadata address"

