"""Heavy work per client over real HTTP: clients told apart by their address
(each test client sends from a loopback address of its own), a client at its
limit gets 503 with Retry-After while the others are served, a few clients
with runaway queries cannot take the last slot from the rest, and an extra
query waits for a slot when one comes free in time."""
from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse

import pytest

from tests.protocol.test_sparql_protocol import RUNAWAY, start_service

A, B, C = "127.0.0.2", "127.0.0.3", "127.0.0.4"


def ask(service, client: str, query: str = "ASK {}", **params) -> tuple[int, dict[str, str], str]:
    """A query sent from the loopback address `client`."""
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
                            PARTNERGRAPH_BUSY_WAIT="2")
    yield service
    service.process.terminate()
    service.process.wait(10)


def test_a_client_at_its_limit_gets_503_with_retry_after_and_others_are_served(service):
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


def test_clients_with_runaway_queries_leave_the_last_slot_to_the_others(service):
    runaways = [Runaways(service, A, 1), Runaways(service, B, 1)]
    under_way(service, 2)
    # A may have two at once, but its second would take the last of the three slots.
    status, headers, body = ask(service, A)
    assert status == 503 and int(headers["retry-after"]) >= 1
    assert "All 3 query slots are taken or kept for other clients" in body
    status, _, body = ask(service, C)
    assert status == 200 and json.loads(body)["boolean"] is True
    for each in runaways:
        assert [status for status, _ in each.stopped()] == [503]
    assert ask(service, A)[0] == 200


def test_an_extra_query_waits_for_its_clients_own_to_end(service):
    runaways = Runaways(service, A, 2, timeout="1")
    under_way(service, 2)
    status, _, body = ask(service, A)
    assert [status for status, _ in runaways.stopped()] == [503, 503]
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_client_with_a_query_waiting_gets_the_next_503_at_once(service):
    runaways = Runaways(service, A, 2)
    under_way(service, 2)
    waiting = Runaways(service, A, 1)
    under_way(service, 1, "queries_waiting")
    status, headers, body = ask(service, A)
    assert status == 503 and "PARTNERGRAPH_CLIENT_QUERIES=2" in body and "retry-after" in headers
    assert json.loads(service.get("/healthz")[2])["queries_waiting"] == 1
    assert [status for status, _ in waiting.stopped()] == [503]
    runaways.stopped()
