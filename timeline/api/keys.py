"""API keys: created, listed and revoked by ``timeline keys``, checked on every request that
needs one (:mod:`timeline.api.access`).

A key's secret is ``tl_`` and 43 URL-safe characters (256 random bits). Only the SHA-256
hash of the secret is stored: a secret that random needs no slow, salted hash, and looking
a key up by its hash compares no secret byte by byte. The secret is shown once, when the key
is created. ``prefix`` (its first 11 characters) tells keys apart in listings.

Roles: ``editor`` reads and writes; ``reader`` only reads, which matters only where reads
are private (``TIMELINE_PUBLIC_READS=false``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..errors import InvalidInputError
from ..store.models import ApiKey

ROLES = ("editor", "reader")
SECRET_PREFIX = "tl_"
PREFIX_LENGTH = len(SECRET_PREFIX) + 8
# last_used_at is written at most this often per key, not on every request
USE_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewKey:
    """A key just created: its stored row and its secret, which nothing keeps."""

    key: ApiKey
    secret: str


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest of ``secret``: what ``api_keys.secret_hash`` holds."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """A fresh secret: ``tl_`` and 256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def create_key(session: Session, role: str, name: str, secret: str | None = None) -> NewKey:
    """Store a key of ``role`` (``editor`` or ``reader``) named ``name``; ``secret`` is a
    fresh random one unless given (tests give their own)."""
    if role not in ROLES:
        raise InvalidInputError(f"not a role: {role!r} (editor or reader)")
    if not name.strip() or len(name) > 128:
        raise InvalidInputError("a key's name is 1 to 128 characters")
    secret = secret or new_secret()
    key = ApiKey(
        name=name,
        role=role,
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        created_at=datetime.now(UTC),
    )
    session.add(key)
    session.commit()
    return NewKey(key, secret)


def find_key(session: Session, secret: str) -> ApiKey | None:
    """The key that ``secret`` is, if it exists and is not revoked."""
    return session.scalars(
        select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret), ApiKey.revoked_at.is_(None))
    ).first()


def mark_used(session: Session, key: ApiKey, now: datetime | None = None) -> None:
    """Record that ``key`` was used, unless that was recorded less than a minute ago (so
    that most requests write nothing: on SQLite even an UPDATE of no row takes the lock)."""
    now = now or datetime.now(UTC)
    if key.last_used_at is not None and _utc(key.last_used_at) >= now - USE_GRANULARITY:
        return
    session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key.id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - USE_GRANULARITY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, revoked ones included, in the order they were created."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, key_id: int) -> tuple[ApiKey, bool]:
    """Revoke the key ``key_id`` from now on: the key, and whether it was revoked before."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise InvalidInputError(f"no key {key_id}")
    if key.revoked_at is not None:
        return key, True
    key.revoked_at = datetime.now(UTC)
    session.commit()
    return key, False


def _utc(moment: datetime) -> datetime:
    """``moment`` with its UTC offset (SQLite gives it back without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
