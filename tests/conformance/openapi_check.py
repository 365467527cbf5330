#!/usr/bin/env python3
"""Checks public/openapi.json: a valid OpenAPI 3.1 document (openapi-spec-validator) that
describes exactly the contract's paths and methods. With a backend URL, also validates live
answers (meta, customer and event pages, a saved segment, a problem) against its schemas.

    python3 tests/conformance/openapi_check.py public/openapi.json [BASE_URL]
Env: CONFORMANCE_TOKEN (bearer token for the backend).
"""
import json
import os
import sys
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

EXPECTED = {
    "/meta": {"get"},
    "/customers": {"get"},
    "/events": {"get"},
    "/segments": {"get", "post"},
    "/segments/{id}": {"get", "put", "delete"},
    "/journeys": {"get", "post"},
    "/journeys/{id}": {"get", "put", "delete"},
}


def fail(msg):
    print(f"openapi_check: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def request(base, path, method="GET", body=None):
    headers = {"Accept": "application/json"}
    token = os.environ.get("CONFORMANCE_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    spec_path = sys.argv[1]
    spec, _ = read_from_filename(spec_path)
    validate(spec)
    if not spec["openapi"].startswith("3.1."):
        fail(f"openapi is {spec['openapi']}, expected 3.1.x")
    paths = {p: {m for m in ops if m in ("get", "post", "put", "delete", "patch")} for p, ops in spec["paths"].items()}
    if paths != EXPECTED:
        fail(f"paths/methods differ from the contract: {paths}")
    checked = 0
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method in ("put", "delete") and "428" not in op["responses"]:
                fail(f"{method.upper()} {path} does not document 428")
            if method in ("put", "delete") and "412" not in op["responses"]:
                fail(f"{method.upper()} {path} does not document 412")
            if method == "get" and "304" not in op["responses"]:
                fail(f"GET {path} does not document 304")
            checked += 1
    print(f"openapi_check: {spec_path} is valid OpenAPI {spec['openapi']} ({checked} operations)")

    if len(sys.argv) < 3:
        return
    base = sys.argv[2].rstrip("/")

    def schema_of(name):
        return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})

    def page_of(name):
        return Draft202012Validator({
            "allOf": [{"$ref": "#/components/schemas/PageEnvelope"},
                      {"properties": {"data": {"items": {"$ref": f"#/components/schemas/{name}"}}}}],
            "components": spec["components"],
        })

    samples = []
    status, meta = request(base, "/meta")
    samples.append(("GET /meta", status, 200, schema_of("Meta"), meta))
    status, body = request(base, "/customers?limit=200")
    samples.append(("GET /customers", status, 200, page_of("Customer"), body))
    status, body = request(base, "/events?limit=500")
    samples.append(("GET /events", status, 200, page_of("Event"), body))
    seg = {"name": "openapi check", "definition": {"rule": "all", "rules": []}}
    status, body = request(base, "/segments", "POST", seg)
    samples.append(("POST /segments", status, 201, schema_of("SavedSegment"), body))
    status, body = request(base, "/journeys", "POST", {"name": "openapi check", "definition": {"nodes": []}})
    samples.append(("POST /journeys", status, 201, schema_of("SavedJourney"), body))
    status, body = request(base, "/segments", "POST", {"name": 1, "definition": []})
    samples.append(("POST /segments (invalid)", status, 422, schema_of("Problem"), body))
    status, body = request(base, "/customers?limit=nope")
    samples.append(("GET /customers?limit=nope", status, 400, schema_of("Problem"), body))
    for what, status, want, validator, body in samples:
        if status != want:
            fail(f"{what}: status {status}, expected {want}: {json.dumps(body)[:300]}")
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            fail(f"{what}: answer does not match the OpenAPI schema at {list(e.absolute_path)}: {e.message[:300]}")
    print(f"openapi_check: {len(samples)} live answers of {base} match the schemas")


if __name__ == "__main__":
    main()
