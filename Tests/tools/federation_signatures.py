"""Checks Axon's request signatures and key document with Synapse's own code (matrix-synapse 1.163.2, `make venv`).

Usage:
  federation_signatures.py sign SEED_B64 KEY_VERSION ORIGIN DESTINATION METHOD URI [CONTENT_JSON]
      prints the Authorization header Synapse's federation client sends for that request
  federation_signatures.py verify-request HEADER METHOD URI RECEIVER VERIFY_KEY_B64 [CONTENT_JSON]
      parses HEADER as Synapse's federation server does and checks its signature as Synapse does; prints "ok"
  federation_signatures.py verify-keys SERVER_NAME < DOCUMENT_JSON
      checks a /_matrix/key/v2/server document the way Synapse's keyring does; prints its key IDs
"""
import json
import sys
from types import SimpleNamespace

from signedjson.key import decode_signing_key_base64, decode_verify_key_bytes
from signedjson.sign import verify_signed_json
from synapse.federation.transport.server._base import _parse_auth_header
from synapse.http.matrixfederationclient import MatrixFederationHttpClient
from unpaddedbase64 import decode_base64


def sign(seed, version, origin, destination, method, uri, content=None):
    key = decode_signing_key_base64("ed25519", version, seed)
    client = SimpleNamespace(server_name=origin, signing_key=key)
    body = json.loads(content) if content is not None else None
    headers = MatrixFederationHttpClient.build_auth_headers(client, destination.encode(), method.encode(), uri.encode(), body)
    print(headers[0].decode("ascii"))


def verify_request(header, method, uri, receiver, verify_key, content=None):
    origin, key_id, sig, destination = _parse_auth_header(header.encode("utf-8"))
    if destination is not None and destination != receiver:
        raise SystemExit("wrong destination " + destination)
    request = {"method": method, "uri": uri, "destination": receiver, "origin": origin, "signatures": {origin: {key_id: sig}}}
    if content is not None:
        request["content"] = json.loads(content)
    verify_signed_json(request, origin, decode_verify_key_bytes(key_id, decode_base64(verify_key)))
    print("ok")


def verify_keys(server_name):
    document = json.load(sys.stdin)
    assert document["server_name"] == server_name, document
    assert isinstance(document["valid_until_ts"], int), document
    for key_id, entry in document["verify_keys"].items():
        verify_signed_json(document, server_name, decode_verify_key_bytes(key_id, decode_base64(entry["key"])))
    for key_id, entry in document.get("old_verify_keys", {}).items():
        decode_verify_key_bytes(key_id, decode_base64(entry["key"]))
        assert isinstance(entry["expired_ts"], int), entry
    print(" ".join(sorted(document["verify_keys"]) + sorted(document.get("old_verify_keys", {}))))


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    {"sign": sign, "verify-request": verify_request, "verify-keys": verify_keys}[command](*arguments)
