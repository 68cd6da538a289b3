"""The address check of outgoing fetches (``core/safefetch.py``): which addresses are inside,
the allow-list, and TLS still checked against the host name when the connection goes to the
pre-resolved address. Only 127.0.0.1 is ever connected to."""

import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading

import pytest
import urllib3

from newsdesk.core.safefetch import (
    TargetRefused,
    address_internal,
    allowed_targets_parse,
    guarded_pool_manager,
    target_allowed,
)

INTERNAL = [
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",  # noqa: S104
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space
    "100.127.255.254",
    "192.0.0.8",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "fc00::1",  # unique-local
    "fd00:ec2::254",
    "fe80::1",  # link-local
    "fe80::1%2",
    "fec0::1",
    "ff02::1",  # multicast
    "ff0e::1",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::1",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",  # documentation
    "100::1",  # discard
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "100.128.0.1",  # just past the shared space
    "172.32.0.1",  # just past 172.16/12
    "2606:4700:4700::1111",
    "2a00:1450:4001:81c::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_internal(address):
    assert address_internal(ipaddress.ip_address(address))
    assert not target_allowed(address=ipaddress.ip_address(address), port=80, allowed=())


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_not(address):
    assert not address_internal(ipaddress.ip_address(address))
    assert target_allowed(address=ipaddress.ip_address(address), port=80, allowed=())


def test_the_allow_list_names_addresses_networks_and_ports():
    allowed = allowed_targets_parse(" 127.0.0.1:8080, 10.0.0.0/8,[::1]:9000 ,fd00::5,")

    def ok(address, port):
        return target_allowed(address=ipaddress.ip_address(address), port=port, allowed=allowed)

    assert ok("127.0.0.1", 8080) and not ok("127.0.0.1", 8081) and not ok("127.0.0.2", 8080)
    assert ok("::ffff:127.0.0.1", 8080)
    assert ok("10.200.3.4", 1) and ok("10.0.0.1", 65535) and not ok("172.16.0.1", 1)
    assert ok("::1", 9000) and not ok("::1", 9001)
    assert ok("fd00::5", 443) and not ok("fd00::6", 443)
    assert not ok("169.254.169.254", 80)
    assert allowed_targets_parse("") == ()


@pytest.mark.parametrize("entry", ["partner.example", "127.0.0.1:http", "10.0.0.0/33", "[::1"])
def test_an_unreadable_allow_list_entry_is_named(entry):
    with pytest.raises(ValueError, match=r"FETCH_ALLOW_INTERNAL: .* is not an address"):
        allowed_targets_parse(f"127.0.0.1,{entry}")


def test_the_pool_manager_refuses_before_connecting(settings):
    settings.FETCH_ALLOW_INTERNAL = ""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        with guarded_pool_manager() as http, pytest.raises(TargetRefused):
            http.request("GET", f"http://127.0.0.1:{port}/", retries=3)
        with pytest.raises(BlockingIOError):
            listener.accept()


# --- TLS: the connection goes to the checked address, the certificate is the name's ----------


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 whose certificate names ``partner.example``; it records
    the SNI name and the Host header of each request."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=partner.example",
            "-addext", "subjectAltName=DNS:partner.example",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    seen = {"sni": [], "host": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen["host"].append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], str(cert), seen
    server.shutdown()
    server.server_close()


def test_tls_is_checked_against_the_host_name(tls_server, settings, monkeypatch):
    port, ca, seen = tls_server
    settings.FETCH_ALLOW_INTERNAL = f"127.0.0.1:{port}"
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host in {"partner.example", "impostor.example"}:
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with guarded_pool_manager(cert_reqs="CERT_REQUIRED", ca_certs=ca) as http:
        answer = http.request("GET", f"https://partner.example:{port}/", retries=False)
        assert answer.status == 200 and answer.data == b"ok"
        assert seen["sni"] == ["partner.example"]
        assert seen["host"] == [f"partner.example:{port}"]
        with pytest.raises(urllib3.exceptions.SSLError, match="Hostname mismatch"):
            http.request("GET", f"https://impostor.example:{port}/", retries=False)
