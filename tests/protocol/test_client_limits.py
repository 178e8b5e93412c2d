"""Heavy work per client over real HTTP: clients told apart by their address
(each test client sends from a loopback address of its own), a client at its
limit gets 503 with Retry-After while the others are served, a few clients
with runaway queries cannot take the last slot from the rest, and an extra
query waits for a slot when one comes free in time."""
from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
import urllib.parse

import pytest

from tests.protocol.test_sparql_protocol import RUNAWAY, start_service

ADDRESSES = (f"127.0.0.{n}" for n in itertools.count(2))
PROBES = itertools.count()


@pytest.fixture
def clients() -> list[str]:
    """Clients of this test's own: no test's clients are heavy in the next."""
    return [next(ADDRESSES) for _ in range(10)]


def ask(service, client: str, query: str | None = None, **params) -> tuple[int, dict[str, str], str]:
    """A query sent from the loopback address `client`; by default a small
    one never sent before, which a worker must answer (a small query answered
    before is answered in the web process, and takes no slot)."""
    query = query or f"ASK {{}} # probe {next(PROBES)}"
    connection = http.client.HTTPConnection(service.host, service.port, timeout=60,
                                            source_address=(client, 0))
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query, **params}))
        response = connection.getresponse()
        body = response.read().decode("utf-8")
    finally:
        connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


class Runaways:
    """Runaway queries from `client`, under way until the time limit stops them."""

    def __init__(self, service, client: str, count: int, **params):
        self.answers: list[tuple[int, str]] = []
        self.threads = [threading.Thread(target=self._run, args=(service, client, params))
                        for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def _run(self, service, client, params) -> None:
        status, _, body = ask(service, client, RUNAWAY, **params)
        self.answers.append((status, body))

    def stopped(self) -> list[tuple[int, str]]:
        for thread in self.threads:
            thread.join(60)
        return self.answers


def under_way(service, count: int, what: str = "queries_under_way") -> None:
    """Wait until `count` queries are under way (or waiting), as /healthz tells."""
    deadline = time.monotonic() + 30
    while json.loads(service.get("/healthz")[2])[what] != count:
        assert time.monotonic() < deadline, f"{what} never came to {count}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("client-limits")
    service = start_service(tmp, PARTNERGRAPH_STORE=str(tmp / "store"),
                            PARTNERGRAPH_QUERY_WORKERS="3", PARTNERGRAPH_CLIENT_QUERIES="2",
                            PARTNERGRAPH_BUSY_WAIT="4")
    yield service
    service.process.terminate()
    service.process.wait(10)


def test_a_client_at_its_limit_gets_503_with_retry_after_and_others_are_served(service, clients):
    A, B, *_ = clients
    runaways = Runaways(service, A, 2)
    under_way(service, 2)
    status, headers, body = ask(service, A)
    assert status == 503
    assert 1 <= int(headers["retry-after"]) <= 5
    assert "PARTNERGRAPH_CLIENT_QUERIES=2" in body and "Try again in" in body
    status, _, body = ask(service, B)
    assert status == 200 and json.loads(body)["boolean"] is True
    stopped = runaways.stopped()
    assert [status for status, _ in stopped] == [503, 503]
    assert all("stopped at the time limit of 5 s" in body for _, body in stopped)
    assert ask(service, A)[0] == 200


def test_clients_with_runaway_queries_leave_the_last_slot_to_the_others(service, clients):
    D, E, F, *_ = clients
    runaways = [Runaways(service, D, 1), Runaways(service, E, 1)]
    under_way(service, 2)
    # D may have two at once, but its second would take the last of the three slots.
    status, headers, body = ask(service, D)
    assert status == 503 and int(headers["retry-after"]) >= 1
    assert "All 3 query slots are taken or kept for other clients" in body
    status, _, body = ask(service, F)
    assert status == 200 and json.loads(body)["boolean"] is True
    for each in runaways:
        assert [status for status, _ in each.stopped()] == [503]


def test_a_client_with_nothing_under_way_waits_for_a_slot(service, clients):
    A, B, C, G, *_ = clients
    runaways = [Runaways(service, client, 1, timeout="1") for client in (A, B, C)]
    under_way(service, 3)
    status, _, body = ask(service, G)
    for each in runaways:
        assert [status for status, _ in each.stopped()] == [503]
    assert status == 200 and json.loads(body)["boolean"] is True


def test_only_twice_as_many_wait_as_there_are_slots(service, clients):
    runaways = [Runaways(service, client, 1) for client in clients[:3]]
    under_way(service, 3)
    waiting = [Runaways(service, client, 1) for client in clients[3:9]]
    under_way(service, 6, "queries_waiting")
    status, headers, body = ask(service, clients[9])
    assert status == 503 and "All 3 query slots are taken" in body and "retry-after" in headers
    assert json.loads(service.get("/healthz")[2])["queries_waiting"] == 6
    for each in waiting:
        assert [status for status, _ in each.stopped()] == [503]
    for each in runaways:
        each.stopped()


def test_clients_whose_queries_ran_long_share_a_quarter_of_the_slots(service, clients):
    A, B, C, *_ = clients
    # Stopped after 2 s, more than a quarter of the time limit of 5 s.
    for client in (A, B):
        assert ask(service, client, RUNAWAY, timeout="2")[0] == 503
    first = Runaways(service, A, 1)
    under_way(service, 1)
    status, headers, body = ask(service, B, RUNAWAY)
    assert status == 503 and int(headers["retry-after"]) >= 1
    assert "Your recent queries ran long" in body and "share 1 of the 3 query slots" in body
    status, _, body = ask(service, C)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert [status for status, _ in first.stopped()] == [503]
