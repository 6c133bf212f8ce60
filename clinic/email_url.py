"""EMAIL_URL, the mail server as one URL, read into Django's EMAIL_* settings.

    smtp+tls://user:password@mail.example.jp:587   STARTTLS (the submission port; 587 by default)
    smtps://user:password@mail.example.jp:465      TLS from the first byte (465 by default)
    smtp://127.0.0.1:25                            no TLS: a relay on this machine only
    console://                                     print each e-mail (development)

The user and password are percent-encoded as in any URL (`@` is `%40`). `?timeout=SECONDS`
bounds each connection (10 s by default), so a mail server that hangs can't hold the worker.
Standard library only (no package parses mail URLs the way this project needs: TLS required in
production, never a console that would print patients' links into the journal).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_TIMEOUT = 10
# Where a plain smtp:// server may be: the machine itself.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SCHEMES = {
    # scheme: (use_tls, use_ssl, default port)
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "submission": (True, False, 587),
    "smtps": (False, True, 465),
    "smtp+ssl": (False, True, 465),
}


class EmailUrlError(ValueError):
    """EMAIL_URL can't be used; the message says why without repeating the password."""


@dataclass(frozen=True)
class MailServer:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int = DEFAULT_TIMEOUT


def parse_email_url(url: str, *, production: bool = False) -> MailServer:
    """The mail server `url` names. In production, only a TLS connection or a local relay."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise EmailUrlError(f"EMAIL_URL is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme == "console":
        if production:
            raise EmailUrlError(
                "EMAIL_URL=console:// would write e-mails (patients' links) into the logs; "
                "set an smtp+tls:// or smtps:// server in production."
            )
        return MailServer(backend=CONSOLE_BACKEND)
    if scheme not in SCHEMES:
        raise EmailUrlError(
            f"EMAIL_URL's scheme must be one of smtp+tls, smtps, smtp or console, not {scheme!r}."
        )
    host = parts.hostname or ""
    if not host:
        raise EmailUrlError("EMAIL_URL names no mail server host.")
    use_tls, use_ssl, default_port = SCHEMES[scheme]
    if production and not (use_tls or use_ssl) and host not in LOCAL_HOSTS:
        raise EmailUrlError(
            f"EMAIL_URL: smtp:// to {host} would send the password and patients' links "
            "unencrypted; use smtp+tls:// (port 587) or smtps:// (port 465)."
        )
    query = urllib.parse.parse_qs(parts.query)
    timeout = DEFAULT_TIMEOUT
    if "timeout" in query:
        try:
            timeout = int(query["timeout"][-1])
        except ValueError:
            raise EmailUrlError("EMAIL_URL's timeout must be a whole number of seconds.") from None
        if timeout <= 0:
            raise EmailUrlError("EMAIL_URL's timeout must be a whole number of seconds.")
    return MailServer(
        backend=SMTP_BACKEND,
        host=host,
        port=port or default_port,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )
