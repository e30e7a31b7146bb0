"""The collection servers: ODK Central and KoboToolbox, through their HTTP APIs.

Both speak plain HTTP through the standard library (`urllib.request`), one small interface:
`publish` an XLSForm, `submissions` pulls every record back. We chose plain HTTP for ODK
Central too rather than `pyodk`: the five calls we make are short, and pyodk pins narrow
ranges of requests, pydantic and toml that would constrain the whole platform's
dependencies. Kobo has no maintained client. Kobo's data API answers at most 1,000 records a
page: `submissions` follows `next` to the end (ODK's OData: `@odata.nextLink`). Every answer
is bounded (FIELD_COLLECTION_MAX_BYTES a response, FIELD_COLLECTION_MAX_SUBMISSIONS in all),
and a `next` to another host is refused.

Connection settings per installation (settings.py; docs/field-collection.md):
WPSMONITOR_ODK_URL, _ODK_EMAIL, _ODK_PASSWORD, _ODK_PROJECT; WPSMONITOR_KOBO_URL, _KOBO_TOKEN.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from wpsmonitor.core.json_input import RefusedJson, loads_bounded

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KOBO_PAGE = 1000  # the most Kobo's data API gives a page


class ServerError(Exception):
    """The server refused or could not be reached; the message may be shown."""


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return loads_bounded(self.body.decode("utf-8"))
        except (RefusedJson, ValueError, UnicodeDecodeError) as exc:
            raise ServerError(
                _("The server's answer is not JSON (%(error)s).") % {"error": exc}
            ) from None


def http(
    method: str, url: str, *, headers: dict[str, str] | None = None, body: bytes | None = None
) -> Answer:
    """One HTTP exchange: the answer (also for 4xx and 5xx), or ServerError when the server
    cannot be reached. The transport the tests replace with recorded answers."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    limit = settings.FIELD_COLLECTION_MAX_BYTES
    try:
        with urllib.request.urlopen(request, timeout=settings.FIELD_COLLECTION_TIMEOUT) as reply:
            data = reply.read(limit + 1)
            status = reply.status
    except urllib.error.HTTPError as exc:
        data, status = exc.read(limit + 1), exc.code
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(
            _("The server at %(url)s cannot be reached (%(error)s).")
            % {"url": _host(url), "error": getattr(exc, "reason", exc)}
        ) from None
    if len(data) > limit:
        raise ServerError(
            _("The server's answer is larger than %(limit)s bytes.") % {"limit": limit}
        )
    return Answer(status, data)


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _refused(answer: Answer, what: str) -> ServerError:
    detail = answer.body[:200].decode("utf-8", "replace")
    return ServerError(
        _("The server refused to %(what)s (HTTP %(status)s): %(detail)s")
        % {"what": what, "status": answer.status, "detail": detail}
    )


class FieldServer(Protocol):
    kind: str

    def publish(self, *, form_id: str, version: str, title: str, xlsx: bytes) -> str:
        """Put the form on the server, published; its reference there."""
        ...

    def submissions(self, reference: str) -> list[dict[str, Any]]:
        """Every submission of the form, all pages."""
        ...


class _Pages:
    """Follow a paged list to its end, on the same host, within the bounds."""

    def __init__(self, base: str) -> None:
        self.host = _host(base)
        self.seen: set[str] = set()
        self.records: list[dict[str, Any]] = []

    def next_url(self, url: str | None) -> str | None:
        if not url:
            return None
        if _host(url) != self.host:
            raise ServerError(_("The server sent the next page to another address: refused."))
        if url in self.seen:
            raise ServerError(_("The server sent the same page twice: stopped."))
        self.seen.add(url)
        return url

    def add(self, items: Any) -> None:
        if not isinstance(items, list):
            raise ServerError(_("The server's page holds no list of submissions."))
        self.records.extend(i for i in items if isinstance(i, dict))
        if len(self.records) > settings.FIELD_COLLECTION_MAX_SUBMISSIONS:
            raise ServerError(
                _("The form has more than %(limit)s submissions: export them and upload the file.")
                % {"limit": settings.FIELD_COLLECTION_MAX_SUBMISSIONS}
            )


class OdkCentral:
    """ODK Central's REST API (docs.getodk.org/central-api): a session token from an email
    and password, forms in one project, submissions through OData."""

    kind = "odk"

    def __init__(self, url: str, email: str, password: str, project: str) -> None:
        self.url = url.rstrip("/")
        self.email, self.password, self.project = email, password, project
        self._token: str | None = None

    def _headers(self, **extra: str) -> dict[str, str]:
        if self._token is None:
            answer = http(
                "POST",
                f"{self.url}/v1/sessions",
                headers={"Content-Type": "application/json"},
                body=json.dumps({"email": self.email, "password": self.password}).encode(),
            )
            if answer.status != 200:
                raise _refused(answer, _("sign in"))
            self._token = str(answer.json().get("token", ""))
        return {"Authorization": f"Bearer {self._token}", **extra}

    def publish(self, *, form_id: str, version: str, title: str, xlsx: bytes) -> str:
        forms = f"{self.url}/v1/projects/{self.project}/forms"
        headers = self._headers(**{"Content-Type": XLSX_TYPE, "X-XlsForm-FormId-Fallback": form_id})
        answer = http(
            "POST", f"{forms}?ignoreWarnings=true&publish=true", headers=headers, body=xlsx
        )
        if answer.status == 200:
            return str(answer.json().get("xmlFormId") or form_id)
        if answer.status != 409:
            raise _refused(answer, _("take the form"))
        # The form exists: a new draft, published as this version.
        draft = f"{forms}/{urllib.parse.quote(form_id)}/draft"
        answer = http("POST", f"{draft}?ignoreWarnings=true", headers=headers, body=xlsx)
        if answer.status != 200:
            raise _refused(answer, _("take the form"))
        query = urllib.parse.urlencode({"version": version})
        answer = http("POST", f"{draft}/publish?{query}", headers=self._headers())
        if answer.status not in (200, 409):  # 409: this version is already published
            raise _refused(answer, _("publish the form"))
        return form_id

    def submissions(self, reference: str) -> list[dict[str, Any]]:
        url: str | None = (
            f"{self.url}/v1/projects/{self.project}/forms/{urllib.parse.quote(reference)}.svc/"
            f"Submissions?%24top={KOBO_PAGE}"
        )
        pages = _Pages(self.url)
        url = pages.next_url(url)
        while url:
            answer = http("GET", url, headers=self._headers(Accept="application/json"))
            if answer.status != 200:
                raise _refused(answer, _("give the submissions"))
            data = answer.json()
            pages.add(data.get("value") if isinstance(data, dict) else None)
            url = pages.next_url(data.get("@odata.nextLink"))
        return pages.records


class Kobo:
    """KoboToolbox's API v2 (kpi): an API token; a form becomes an asset through an import,
    is deployed, and its data is read a page of at most 1,000 records at a time."""

    kind = "kobo"

    def __init__(self, url: str, token: str, *, wait: float = 1.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.wait = wait

    def _headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}", "Accept": "application/json", **extra}

    def publish(self, *, form_id: str, version: str, title: str, xlsx: bytes) -> str:
        boundary = uuid.uuid4().hex
        body = _multipart(
            boundary, {"library": "false", "name": title}, ("file", f"{form_id}.xlsx", xlsx)
        )
        answer = http(
            "POST",
            f"{self.url}/api/v2/imports/",
            headers=self._headers(**{"Content-Type": f"multipart/form-data; boundary={boundary}"}),
            body=body,
        )
        if answer.status not in (200, 201):
            raise _refused(answer, _("take the form"))
        task = str(answer.json().get("uid", ""))
        asset = ""
        for _attempt in range(30):
            answer = http("GET", f"{self.url}/api/v2/imports/{task}/", headers=self._headers())
            data = answer.json() if answer.status == 200 else {}
            if data.get("status") == "complete":
                asset = _imported_asset(data.get("messages") or {})
                break
            if data.get("status") in ("error", None):
                raise _refused(answer, _("take the form"))
            time.sleep(self.wait)
        if not asset:
            raise ServerError(_("The server did not finish taking the form in time."))
        answer = http(
            "POST",
            f"{self.url}/api/v2/assets/{asset}/deployment/",
            headers=self._headers(**{"Content-Type": "application/json"}),
            body=json.dumps({"active": True}).encode(),
        )
        if answer.status not in (200, 201):
            raise _refused(answer, _("publish the form"))
        return asset

    def submissions(self, reference: str) -> list[dict[str, Any]]:
        pages = _Pages(self.url)
        url = pages.next_url(
            f"{self.url}/api/v2/assets/{urllib.parse.quote(reference)}/data/"
            f"?format=json&limit={KOBO_PAGE}"
        )
        while url:
            answer = http("GET", url, headers=self._headers())
            if answer.status != 200:
                raise _refused(answer, _("give the submissions"))
            data = answer.json()
            pages.add(data.get("results") if isinstance(data, dict) else None)
            url = pages.next_url(data.get("next"))
        return pages.records


def _imported_asset(messages: dict[str, Any]) -> str:
    for log in messages.get("audit_logs") or []:
        if isinstance(log, dict) and log.get("asset_uid"):
            return str(log["asset_uid"])
    for created in messages.get("created") or []:
        if isinstance(created, dict) and created.get("uid"):
            return str(created["uid"])
    return ""


def _multipart(boundary: str, fields: dict[str, str], upload: tuple[str, str, bytes]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    name, filename, content = upload
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {XLSX_TYPE}\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def configured_server() -> FieldServer | None:
    """The installation's server (ODK Central first), or None when none is configured."""
    odk = settings.FIELD_COLLECTION_ODK
    if odk.get("url") and odk.get("email") and odk.get("password"):
        return OdkCentral(odk["url"], odk["email"], odk["password"], odk.get("project") or "1")
    kobo = settings.FIELD_COLLECTION_KOBO
    if kobo.get("url") and kobo.get("token"):
        return Kobo(kobo["url"], kobo["token"])
    return None
