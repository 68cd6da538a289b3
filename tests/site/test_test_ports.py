"""The test servers' port allocator never hands one port to two servers of one process."""

import socket

from tests.support import ports


class _KernelRepeatingItself:
    """A stand-in for ``socket.socket`` whose kernel hands out the given ports in turn, as
    Linux does when a port bound and released a moment ago is asked for again."""

    def __init__(self, handed: list[int]) -> None:
        self.handed = handed

    def __call__(self, *args, **kwargs) -> "_KernelRepeatingItself":
        return self

    def __enter__(self) -> "_KernelRepeatingItself":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def bind(self, address) -> None:
        self.port = self.handed.pop(0)

    def getsockname(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)


def test_a_port_handed_out_once_is_not_handed_out_again(monkeypatch):
    kernel = _KernelRepeatingItself([40001, 40001, 40001, 40002])
    monkeypatch.setattr(ports.socket, "socket", kernel)
    monkeypatch.setattr(ports, "_handed_out", set())

    assert [ports.free_port(), ports.free_port()] == [40001, 40002]
    assert kernel.handed == []


def test_the_port_is_free_when_handed_out():
    port = ports.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # raises if anything held it
