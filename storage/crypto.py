"""Encryption at rest for the words users write: journal answers, prompts, conversation drafts.

Columns typed :class:`EncryptedText` or :class:`EncryptedJSON` are encrypted with Fernet (AES-128-CBC with
an HMAC-SHA256, from ``cryptography``) when a key is configured at start (``ENCORE_ENCRYPTION_KEY``), and
stored as they are when none is. A ciphertext carries a visible marker, so Encore can tell at start-up that
a database holds encrypted rows it cannot open, and refuse to run instead of showing garbage.

Keys rotate with :class:`cryptography.fernet.MultiFernet`: the first key encrypts, every key decrypts;
``encore keys rotate`` rewrites every encrypted column under the first key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, Column, Table, Text, cast, select, tuple_, update
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

MARKER = "fernet:"
# Plain text that happens to start like a ciphertext (a user may type "fernet:…") is stored behind this
# prefix, so it is never taken for encrypted data, which would lock the journal and stop start-up.
_ESCAPE = "plain:"
_JSON_KEY = "$encrypted"


class EncryptionError(RuntimeError):
    """Encrypted data cannot be read or written as configured; the message says what to do."""


class Keyring:
    """The configured keys: ``primary`` encrypts, it and every ``old`` key decrypt."""

    def __init__(self, primary: str, old: Sequence[str] = ()) -> None:
        try:
            keys = [Fernet(key.strip().encode()) for key in (primary, *old) if key.strip()]
        except (ValueError, TypeError) as error:
            raise EncryptionError(
                "an encryption key is not a valid Fernet key (32 url-safe base64 bytes); "
                "make one with `encore keys generate`"
            ) from error
        if not keys:
            raise EncryptionError("no encryption key given")
        self._fernet = MultiFernet(keys)

    def encrypt(self, plain: str) -> str:
        return MARKER + self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored[len(MARKER) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise EncryptionError(
                "an encrypted value does not open with ENCORE_ENCRYPTION_KEY or ENCORE_ENCRYPTION_OLD_KEYS"
            ) from error


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


_keyring: Keyring | None = None


def configure(keyring: Keyring | None) -> None:
    """Set the process-wide keyring (``None``: store new values in plain text)."""
    global _keyring
    _keyring = keyring


def current() -> Keyring | None:
    return _keyring


@contextmanager
def configured(keyring: Keyring | None) -> Iterator[None]:
    """Use ``keyring`` inside the block, then restore the previous one (for commands and tests)."""
    previous = _keyring
    configure(keyring)
    try:
        yield
    finally:
        configure(previous)


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(MARKER)


def _open(stored: str) -> str:
    if _keyring is None:
        raise EncryptionError("this database holds encrypted text but ENCORE_ENCRYPTION_KEY is not set")
    return _keyring.decrypt(stored)


class EncryptedText(TypeDecorator[str]):
    """Text encrypted when a key is configured; plain text rows (written before a key) still read."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if _keyring is not None:
            return _keyring.encrypt(value)
        return _ESCAPE + value if value.startswith((MARKER, _ESCAPE)) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.startswith(_ESCAPE):
            return str(value[len(_ESCAPE) :])
        return _open(value) if is_encrypted(value) else str(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored as ``{"$encrypted": "fernet:…"}`` when a key is configured.

    The column stays JSON, so switching encryption on needs no schema change.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or _keyring is None:
            return value
        return {_JSON_KEY: _keyring.encrypt(json.dumps(value, ensure_ascii=False))}

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, dict) and set(value) == {_JSON_KEY} and is_encrypted(value[_JSON_KEY]):
            return json.loads(_open(value[_JSON_KEY]))
        return value


# -- whole-database operations (start-up check, rotation) ------------------------------------------


def encrypted_columns(tables: Iterable[Table] | None = None) -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) whose type is one of the encrypted types, across all registered tables."""
    found = []
    for table in tables if tables is not None else SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText | EncryptedJSON):
                found.append((table, column))
    return found


def _raw_text(column: Column[Any]) -> Any:
    """The column as stored (ciphertext included), read as text without the decrypting type."""
    return cast(column, Text)


def _stored_prefix(column: Column[Any]) -> str:
    """How a ciphertext of ``column`` begins as stored (JSON as SQLAlchemy serialises it)."""
    if isinstance(column.type, EncryptedJSON):
        return json.dumps({_JSON_KEY: MARKER})[: -len('"}')]
    return MARKER


async def first_encrypted_value(connection: Any, table: Table, column: Column[Any]) -> str | None:
    """One stored ciphertext of ``column``, or ``None`` when it holds none."""
    raw = _raw_text(column)
    pattern = _stored_prefix(column).replace("_", "\\_").replace("%", "\\%") + "%"
    result = await connection.execute(
        select(raw).select_from(table).where(raw.like(pattern, escape="\\")).limit(1)
    )
    value: str | None = result.scalar_one_or_none()
    if value is None:
        return None
    start = value.index(MARKER)
    end = value.find('"', start)
    return value[start:] if end < 0 else value[start:end]


async def check_readable(engine: Any) -> None:
    """Refuse to start on encrypted rows that cannot be opened with the configured keys.

    Without a key, any ciphertext is a refusal; with one, a sample ciphertext of each column must open.
    """
    async with engine.connect() as connection:
        for table, column in encrypted_columns():
            sample = await first_encrypted_value(connection, table, column)
            if sample is None:
                continue
            where = f"{table.name}.{column.name}"
            if _keyring is None:
                raise EncryptionError(
                    f"the database holds encrypted rows ({where}) but ENCORE_ENCRYPTION_KEY is not set. "
                    "Set it to the key the data was written with; Encore will not show unreadable text."
                )
            try:
                _keyring.decrypt(sample)
            except EncryptionError as error:
                raise EncryptionError(
                    f"the encrypted rows in {where} do not open with ENCORE_ENCRYPTION_KEY. If you rotated "
                    "keys, put the previous key in ENCORE_ENCRYPTION_OLD_KEYS and run `encore keys rotate`."
                ) from error


async def reencrypt_all(engine: Any, batch_size: int = 500) -> int:
    """Rewrite every encrypted column under the primary key (plain rows become encrypted). Returns rows.

    Each batch is its own transaction, so a large journal does not hold one long lock; running it again
    after an interruption is safe because every key still opens every row until the old keys are removed.
    """
    if _keyring is None:
        raise EncryptionError("set ENCORE_ENCRYPTION_KEY (the new key) before rotating")
    by_table: dict[str, tuple[Table, list[Column[Any]]]] = {}
    for table, column in encrypted_columns():
        by_table.setdefault(table.name, (table, []))[1].append(column)
    rewritten = 0
    for table, columns in by_table.values():
        keys = list(table.primary_key.columns)
        after: tuple[Any, ...] | None = None
        while True:
            async with engine.begin() as connection:
                query = select(*keys, *columns).order_by(*keys).limit(batch_size)
                if after is not None:
                    query = query.where(tuple_(*keys) > tuple_(*after))
                rows = (await connection.execute(query)).all()
                for row in rows:
                    ids, values = row[: len(keys)], row[len(keys) :]
                    await connection.execute(
                        update(table)
                        .where(*(key == value for key, value in zip(keys, ids, strict=True)))
                        .values({column.name: value for column, value in zip(columns, values, strict=True)})
                    )
                rewritten += len(rows)
            if len(rows) < batch_size:
                break
            after = tuple(rows[-1][: len(keys)])
    return rewritten
