#!/usr/bin/env python3
"""A fault-injecting HTTP proxy between keyaudit and moto, on 127.0.0.1 only.

keyaudit is pointed at the proxy with --endpoint-url, exactly as at any
AWS-compatible endpoint; the proxy forwards each request to moto, or answers it
with a fault in the error shape of the request's own protocol:

- awsJson (every request with an X-Amz-Target: KMS, Organizations, ACM,
  Secrets Manager, SSM): HTTP 400 with {"__type": "ThrottlingException"}
  (Organizations: TooManyRequestsException);
- query (STS, IAM): HTTP 400 <ErrorResponse> with code Throttling;
- EC2: HTTP 503 <Response><Errors> with code RequestLimitExceeded;
- denied: access denied as each protocol documents it: awsJson HTTP 400
  {"__type": "AccessDeniedException"}; query HTTP 403 code AccessDenied;
  EC2 HTTP 403 code UnauthorizedOperation;
- http500 / http503: a bare status with an empty body;
- reset: the connection is closed without an answer;
- latency: the request is delayed, then forwarded;
- answer: the request is answered HTTP 200 with the rule's `answer`, a
  recorded awsJson response of the real API's documented shape, for the
  APIs moto does not implement (KMS GetKeyLastUsage, CloudTrail
  LookupEvents, Config's compliance and conformance packs). A string value
  "$request.Field" is the request's own `Field`; "$now-Nd" is the epoch
  seconds of now less N days; "$serial" is a new string each time (a page
  token that never repeats). The answer is never forwarded to moto.

Faults are decided per request, deterministically from the seed: a request is
identified by (account, region, service, action, body), and whether its n-th
attempt fails depends only on that identity, n and the seed, never on timing
or on the order in which concurrent requests arrive.

Control (JSON over HTTP, on the same port, path prefix /__proxy/):
  POST /__proxy/config  {"seed": 1, "faults": [FAULT, ...]}  -- also resets the log
  GET  /__proxy/log     every request seen: time, account, region, service,
                        action, identity, attempt, fault, in-flight counts, and
                        the STS AssumeRole parameters
  FAULT = {"service": "kms" | "*", "action": "ListGrants" | "*",
           "path": "findings/",   -- only requests whose path contains this
           "account": "210987654321", "region": "eu-west-1",
                                  -- only requests of this account, of this region
           "body": "1234abcd-...", -- only requests whose body contains this
                                  -- (a key id, a certificate ARN, a form field)
           "kind": "throttle" | "denied" | "http500" | "http503" | "reset" | "latency" | "answer",
           "answer": {...},       -- for kind answer
           "share": 0.0-1.0,      -- which identities are affected
           "attempts": N,         -- how many of their attempts fail (0 = all)
           "latency_ms": N}       -- for kind latency

Usage: fault_proxy.py --upstream http://127.0.0.1:PORT --port PORT
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MANAGEMENT_ACCOUNT = "123456789012"  # moto's account for its default credentials

CREDENTIAL = re.compile(r"Credential=([^/]+)/[0-9]+/([^/]+)/([^/]+)/aws4_request")
ASSUMED_ARN = re.compile(r"<Arn>arn:aws:sts::([0-9]{12}):assumed-role/")
ACCESS_KEY = re.compile(r"<AccessKeyId>([^<]+)</AccessKeyId>")


class State:
    """The proxy's configuration and log, shared by its handler threads."""

    def __init__(self, upstream: str):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.lock = threading.Lock()
        self.seed = 0
        self.faults: list[dict] = []
        self.log: list[dict] = []
        self.attempts: dict[str, int] = {}
        self.accounts: dict[str, str] = {}  # access key id -> account id
        self.in_flight: dict[str, int] = {}  # "account/region/service" -> requests
        self.in_flight_service: dict[str, int] = {}  # service -> requests
        self.in_flight_total = 0
        self.started = time.monotonic()

    def configure(self, config: dict) -> None:
        with self.lock:
            self.seed = int(config.get("seed", 0))
            self.faults = list(config.get("faults", []))
            self.log = []
            self.attempts = {}
            self.started = time.monotonic()


def chance(*parts: object) -> float:
    """A number in [0, 1) that depends only on its arguments."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def classify(headers, body: bytes) -> tuple[str, str, str, str]:
    """(access key, region, service, action) of a signed AWS request."""
    match = CREDENTIAL.search(headers.get("Authorization", ""))
    access_key, region, service = match.groups() if match else ("", "", "")
    target = headers.get("X-Amz-Target")
    if target:
        action = target.rsplit(".", 1)[-1]
    else:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
        action = form.get("Action", [""])[0]
    return access_key, region, service, action


def denied_message(service: str, action: str) -> str:
    return f"User: arn:aws:sts::000000000000:assumed-role/KeyAuditRole/keyaudit is not authorized to perform: {service}:{action}"


SERIAL = itertools.count(1)


def fill(template, request: dict):
    """A recorded answer with "$request.Field", "$now-Nd" and "$serial" filled in."""
    if isinstance(template, dict):
        return {k: fill(v, request) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, request) for v in template]
    if isinstance(template, str) and template.startswith("$request."):
        return request.get(template.removeprefix("$request."))
    if template == "$serial":
        return f"page-{next(SERIAL)}"
    if isinstance(template, str) and template.startswith("$now"):
        days = float(template.removeprefix("$now").removesuffix("d") or 0)
        return time.time() + days * 86400
    return template


def error_response(service: str, action: str, kind: str, aws_json: bool) -> tuple[int, dict, bytes]:
    """The answer a throttled, denied or failing request gets, in its protocol's shape."""
    if kind == "http500":
        return 500, {}, b""
    if kind == "http503":
        return 503, {}, b""
    if kind == "denied":
        message = denied_message(service, action)
        if aws_json:
            body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode()
            return 400, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "AccessDeniedException"}, body
        if service == "ec2":
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>'
                f"<Message>You are not authorized to perform this operation. {message}</Message></Error></Errors>"
                "<RequestID>fault</RequestID></Response>"
            ).encode()
            return 403, {"Content-Type": "text/xml"}, body
        body = (
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            f"<Code>AccessDenied</Code><Message>{message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
        ).encode()
        return 403, {"Content-Type": "text/xml"}, body
    if aws_json:
        code = "TooManyRequestsException" if service == "organizations" else "ThrottlingException"
        body = json.dumps({"__type": code, "message": "Rate exceeded"}).encode()
        return 400, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}, body
    if service == "ec2":
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>'
            b"<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault</RequestID></Response>"
        )
        return 503, {"Content-Type": "text/xml"}, body
    body = (
        b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        b"<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
    )
    return 400, {"Content-Type": "text/xml"}, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State

    def log_message(self, *args):  # quiet
        pass

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def reply(self, status: int, headers: dict, body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def control(self, body: bytes) -> None:
        state = self.state
        if self.path == "/__proxy/config" and self.command == "POST":
            state.configure(json.loads(body or b"{}"))
            self.reply(200, {"Content-Type": "application/json"}, b"{}")
        elif self.path == "/__proxy/log":
            with state.lock:
                data = json.dumps(state.log).encode()
            self.reply(200, {"Content-Type": "application/json"}, data)
        else:
            self.reply(404, {}, b"")

    def handle_any(self) -> None:
        body = self.read_body()
        if self.path.startswith("/__proxy/"):
            return self.control(body)
        state = self.state
        access_key, region, service, action = classify(self.headers, body)
        if service == "s3":
            action = self.command  # S3 is REST: the method is as close to an action as it gets
        with state.lock:
            account = state.accounts.get(access_key, MANAGEMENT_ACCOUNT)
            text = body.decode("utf-8", "replace")
            identity = hashlib.sha256("\x1f".join([account, region, service, action, text]).encode()).hexdigest()[:16]
            attempt = state.attempts.get(identity, 0) + 1
            state.attempts[identity] = attempt
            fault = None
            for index, rule in enumerate(state.faults):
                if rule.get("service", "*") not in ("*", service) or rule.get("action", "*") not in ("*", action):
                    continue
                if rule.get("path", "") not in self.path or rule.get("body", "") not in text:
                    continue
                if rule.get("account", account) != account or rule.get("region", region) != region:
                    continue
                if chance(state.seed, index, identity) >= float(rule.get("share", 1.0)):
                    continue
                failing = int(rule.get("attempts", 0))
                if failing == 0 or attempt <= failing:
                    fault = rule
                    break
            place = f"{account}/{region}/{service}"
            state.in_flight[place] = state.in_flight.get(place, 0) + 1
            state.in_flight_service[service] = state.in_flight_service.get(service, 0) + 1
            state.in_flight_total += 1
            entry = {
                "t": time.monotonic() - state.started,
                "account": account,
                "region": region,
                "service": service,
                "action": action,
                "identity": identity,
                "attempt": attempt,
                "fault": fault["kind"] if fault else None,
                "in_flight": state.in_flight[place],
                "in_flight_service": state.in_flight_service[service],
                "in_flight_total": state.in_flight_total,
            }
            if service == "s3":
                entry["path"] = self.path
                entry["s3_headers"] = {
                    k.lower(): v for k, v in self.headers.items()
                    if k.lower().startswith("x-amz-server-side-encryption") or k.lower() == "x-amz-expected-bucket-owner"
                }
            if action == "AssumeRole":
                form = urllib.parse.parse_qs(body.decode())
                entry["role_arn"] = form.get("RoleArn", [""])[0]
                entry["external_id"] = form.get("ExternalId", [None])[0]
                entry["session_name"] = form.get("RoleSessionName", [""])[0]
            state.log.append(entry)
        try:
            self.respond(service, action, body, fault)
        finally:
            with state.lock:
                state.in_flight[place] -= 1
                state.in_flight_service[service] -= 1
                state.in_flight_total -= 1

    def respond(self, service: str, action: str, body: bytes, fault: dict | None) -> None:
        kind = fault["kind"] if fault else None
        if kind == "reset":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if kind == "latency":
            time.sleep(int(fault.get("latency_ms", 200)) / 1000)
        elif kind == "answer":
            answer = fill(fault.get("answer", {}), json.loads(body or b"{}"))
            return self.reply(200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(answer).encode())
        elif kind is not None:
            return self.reply(*error_response(service, action, kind, "X-Amz-Target" in self.headers))
        upstream = http.client.HTTPConnection(self.state.upstream.hostname, self.state.upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("transfer-encoding", "connection")}
        headers["Content-Length"] = str(len(body))
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        if b"<AssumeRoleResult>" in data:
            account = ASSUMED_ARN.search(data.decode("utf-8", "replace"))
            key = ACCESS_KEY.search(data.decode("utf-8", "replace"))
            if account and key:
                with self.state.lock:
                    self.state.accounts[key.group(1)] = account.group(1)
        skip = ("transfer-encoding", "connection", "content-length")
        self.reply(answer.status, {k: v for k, v in answer.getheaders() if k.lower() not in skip}, data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    Handler.state = State(args.upstream)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
