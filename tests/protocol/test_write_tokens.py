"""Named tokens over real HTTP, on both backends: a token given one graph
writes it by SPARQL Update, the Graph Store Protocol and /admin/import, and
is refused (403, naming the token and the graph) everything else, with
nothing written; the history records the token's name."""
from __future__ import annotations

import json
import re
import secrets
import subprocess
import urllib.parse

import pytest

from graph.store.write_tokens import add_token, graph_names
from tests.protocol.test_sparql_protocol import BASE, start_service
from tests.support.oxigraph_server import running_oxigraph
from tests.support.processes import partnergraph_command, subprocess_env

OWN, OTHER = BASE + "graph/anna-notes", BASE + "graph/twin-towns-elsewhere"
UPDATE = {"Content-Type": "application/sparql-update"}


@pytest.fixture(scope="module", params=["embedded", "remote"])
def service(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"tokens-{request.param}")
    tokens_file = tmp / "tokens.toml"
    _, anna = add_token(tokens_file, "anna", graph_names([OWN], BASE))
    env = {"PARTNERGRAPH_TOKENS_FILE": str(tokens_file)}
    context = None
    if request.param == "embedded":
        env["PARTNERGRAPH_STORE"] = str(tmp / "store")
    else:
        context = running_oxigraph(tmp / "oxigraph")
        endpoint = context.__enter__()
        env.update(PARTNERGRAPH_STORE=endpoint.query_url, PARTNERGRAPH_STORE_UPDATE=endpoint.update_url,
                   PARTNERGRAPH_STORE_GSP=endpoint.gsp_url)
    service = start_service(tmp, **env)
    service.anna, service.tokens_file, service.env = anna, tokens_file, env
    yield service
    service.process.terminate()
    service.process.wait(10)
    if context is not None:
        context.__exit__(None, None, None)


def as_anna(service) -> dict[str, str]:
    return {"Authorization": f"Bearer {service.anna}"}


def holds(service, graph: str) -> int:
    answer = service.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[2]
    return int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])


def insert(graph: str, tag: str) -> str:
    return f'INSERT DATA {{ GRAPH <{graph}> {{ <{BASE}note/{tag}> <{BASE}says> "{tag}" }} }}'


def test_a_token_writes_its_own_graph_by_sparql_update(service):
    status, _, data = service.request("POST", "/sparql", insert(OWN, "one"), {**UPDATE, **as_anna(service)})
    assert status == 204, data
    assert holds(service, OWN) == 1


@pytest.mark.parametrize("update, words", [
    (insert(OTHER, "x"), f"The token 'anna' may not write <{OTHER}>; it may write only <{OWN}>."),
    (insert(OWN, "y") + " ; " + insert(OTHER, "y"), f"may not write <{OTHER}>"),
    (f'INSERT DATA {{ <{BASE}note/z> <{BASE}says> "z" }}', "not the store's default graph"),
    ("INSERT { GRAPH ?g { ?s a <urn:x> } } WHERE { GRAPH ?g { ?s ?p ?o } }",
     "cannot be known before it runs (INSERT into GRAPH ?g"),
    (f"WITH <{OTHER}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", f"may not write <{OTHER}>"),
    ("DROP ALL", "DROP ALL, which writes every graph"),
    (f"MOVE <{OWN}> TO <{OTHER}>", f"may not write <{OTHER}>"),
])
def test_an_update_touching_another_graph_is_refused_and_writes_nothing(service, update, words):
    before = (service.version(), holds(service, OWN), holds(service, OTHER))
    status, _, data = service.request("POST", "/sparql", update, {**UPDATE, **as_anna(service)})
    assert status == 403 and words in data.decode()
    assert (service.version(), holds(service, OWN), holds(service, OTHER)) == before


def test_the_graph_store_protocol_writes_only_the_tokens_graphs(service):
    own = "/store?" + urllib.parse.urlencode({"graph": OWN})
    other = "/store?" + urllib.parse.urlencode({"graph": OTHER})
    body, turtle = f'<{BASE}a> <{BASE}b> "c" .\n', {"Content-Type": "text/turtle"}
    # The environment's token may write every graph, as before named tokens.
    assert service.request("PUT", other, body, turtle, token=True)[0] == 201
    before = service.version()
    for method, path in (("PUT", other), ("POST", other), ("PUT", "/store?default"), ("POST", "/store")):
        status, _, data = service.request(method, path, body, {**turtle, **as_anna(service)})
        assert status == 403, (method, path)
        assert "'anna'" in data.decode()
    status, _, data = service.request("DELETE", other, headers=as_anna(service))
    assert status == 403 and f"may not write <{OTHER}>" in data.decode()
    quads = f'<{BASE}a> <{BASE}b> "c" <{OTHER}> .\n'
    assert service.request("POST", "/store", quads, {"Content-Type": "application/n-quads",
                                                      **as_anna(service)})[0] == 403
    assert service.version() == before and holds(service, OTHER) == 1
    # Its own graph it may write, and delete, with every method.
    assert service.request("PUT", own, body, {**turtle, **as_anna(service)})[0] in (201, 204)
    assert service.request("POST", own, body, {**turtle, **as_anna(service)})[0] in (200, 204)
    assert service.request("DELETE", own, headers=as_anna(service))[0] == 204
    assert service.request("DELETE", other, token=True)[0] == 204


def test_a_token_added_while_the_server_runs_writes_at_once(service):
    added = subprocess.run([*partnergraph_command(), "tokens", "add", "harvester", "--all"],
                           env=subprocess_env(**service.env), capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    secret = re.search(r"^  (pg_\S+)$", added.stdout, re.MULTILINE).group(1)
    status, _, data = service.request("POST", "/sparql", insert(OTHER + "-harvest", "h"),
                                      {**UPDATE, "Authorization": f"Bearer {secret}"})
    assert status == 204, data
    service.request("POST", "/sparql", f"DROP GRAPH <{OTHER}-harvest>", UPDATE, token=True)


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


SHEET = "kommun,partnerkommun,partnerland,typ\nBorlänge,Tokenby,Norge,vänort\n".encode()


def test_admin_import_takes_the_tokens_graph_and_refuses_another(service):
    body, kind = multipart({"token": service.anna, "graph": OTHER}, "partners.csv", SHEET)
    status, _, data = service.request("POST", "/admin/import?lang=en", body, {"Content-Type": kind})
    assert status == 403 and f"The token “anna” may not write the graph &lt;{OTHER}&gt;" in data.decode()
    assert holds(service, OTHER) == 0
    # With a token for the graph: checked, then confirmed by the upload's id alone.
    target = OWN + "-import"
    _, secret = add_token(service.tokens_file, "anna-sheet", graph_names([target], BASE))
    body, kind = multipart({"token": secret, "graph": target}, "partners.csv", SHEET)
    status, _, data = service.request("POST", "/admin/import?lang=en", body, {"Content-Type": kind})
    assert status == 200, data.decode()
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', data.decode()).group(1)
    form = urllib.parse.urlencode({"upload_id": upload_id})
    status, _, data = service.request("POST", "/admin/import?lang=en", form,
                                      {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and "Imported" in data.decode()
    assert holds(service, target) > 0
    agent = service.query(f"""SELECT ?name WHERE {{ ?a <http://www.w3.org/ns/prov#generated> <{target}> ;
        <http://www.w3.org/ns/prov#wasAssociatedWith>/<http://www.w3.org/2000/01/rdf-schema#label> ?name }}""")[2]
    assert [b["name"]["value"] for b in json.loads(agent)["results"]["bindings"]] == ["anna-sheet"]


def test_the_environment_token_still_writes_every_graph(service):
    status, _, _ = service.request("POST", "/sparql", insert(OTHER + "-env", "e"), UPDATE, token=True)
    assert status == 204
    assert service.request("POST", "/sparql", f"DROP GRAPH <{OTHER}-env>", UPDATE, token=True)[0] == 204
