"""Encryption at rest of identifying fields and sensitive files (docs/security.md, "Encryption
at rest").

A storyteller's name, a testimony's text, who gave consent: the database holds them encrypted
(Fernet: AES-128-CBC with an HMAC-SHA256, from `cryptography`), with keys that are never in the
database (`settings.ENCRYPTION_KEYS`, from the environment or a key file). A dump of the
database, or a backup of it, reads nothing of them without the key.

Keys rotate without downtime: a new key is put first (it encrypts from then on, the older ones
still decrypt), `wpsmonitor encryption rotate` re-encrypts every field and every encrypted file
(`EncryptedFileField`) with it, then the old key is removed.

What it does not do: search. An encrypted field cannot be filtered on (its ciphertext differs
each time it is written), so any lookup but `isnull` is refused.
"""

from __future__ import annotations

import functools
import struct
import tempfile
from collections.abc import Iterator
from typing import IO, Any, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files import File
from django.db import models, transaction

# Marks a stored ciphertext, so that a text is never taken for one by mistake (nor the reverse).
PREFIX = "fernet:"


class EncryptionKeyError(ImproperlyConfigured):
    """No usable key, or a stored value none of the configured keys opens."""


def new_key() -> str:
    return Fernet.generate_key().decode()


@functools.lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise EncryptionKeyError(
            "No encryption key: set WPSMONITOR_ENCRYPTION_KEYS or WPSMONITOR_ENCRYPTION_KEY_FILE."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise EncryptionKeyError(
            "An encryption key is not a Fernet key (32 bytes in URL-safe base64): "
            "make one with `wpsmonitor encryption new-key`."
        ) from error


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return cipher().decrypt(token)
    except InvalidToken as error:
        raise EncryptionKeyError(
            "Encrypted data cannot be opened with the keys configured: is a key missing from "
            "WPSMONITOR_ENCRYPTION_KEYS or the key file?"
        ) from error


# A file is encrypted a chunk at a time, so that a 100 MB video is never held whole (twice,
# base64 and all) in memory: this line, then one Fernet token a line for each chunk. A chunk's
# plaintext starts with its number and whether it is the last one, under the token's HMAC: a
# file whose chunks were dropped, reordered or cut short is refused, not read short.
FILE_HEADER = b"wpsmonitor-encrypted-chunks-1\n"
FILE_CHUNK = 1024 * 1024
_CHUNK_HEAD = struct.Struct(">QB")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class DamagedFileError(ValueError):
    """An encrypted file whose chunks are missing, out of order or followed by others."""


def encrypt_file(source: Readable, target: IO[bytes]) -> None:
    """`source` read to its end and written encrypted to `target`, a chunk at a time."""
    fernet = cipher()
    target.write(FILE_HEADER)
    index = 0
    chunk = source.read(FILE_CHUNK)
    while True:
        following = source.read(FILE_CHUNK)
        last = not following
        target.write(fernet.encrypt(_CHUNK_HEAD.pack(index, last) + chunk) + b"\n")
        if last:
            return
        chunk, index = following, index + 1


def decrypted_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The plaintext of a file written by `encrypt_file`, a chunk at a time; a file written
    whole as one token (before chunks) is read whole."""
    head = source.read(len(FILE_HEADER))
    if head != FILE_HEADER:
        yield decrypt_bytes(head + source.read())
        return
    for index, line in enumerate(iter(source.readline, b"")):
        plain = decrypt_bytes(line.rstrip(b"\n"))
        number, last = _CHUNK_HEAD.unpack_from(plain)
        if number != index:
            raise DamagedFileError("An encrypted file has its chunks out of order.")
        yield plain[_CHUNK_HEAD.size :]
        if last:
            if source.read(1):
                raise DamagedFileError("An encrypted file goes on after its last chunk.")
            return
    raise DamagedFileError("An encrypted file is cut short.")


def encrypt_text(text: str) -> str:
    return PREFIX + encrypt_bytes(text.encode()).decode("ascii")


def decrypt_text(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise EncryptionKeyError("A field meant to be encrypted holds a text that is not.")
    return decrypt_bytes(stored[len(PREFIX) :].encode("ascii")).decode()


def under_current_key(stored: str) -> bool:
    """Whether the current (first) key alone opens the stored value: true of every value after
    a rotation."""
    try:
        Fernet(settings.ENCRYPTION_KEYS[0].encode()).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text stored encrypted; read back as the text. The empty text stays empty (it says
    nothing but that the field is empty)."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched "
                f"({lookup_name!r})."
            )
        return super().get_lookup(lookup_name)


class EncryptedFileField(models.FileField):
    """A file its app writes encrypted (`encrypt_file`) and reads through `decrypted_chunks`:
    the field itself stores the name as any FileField; it marks the file for `rotate()` and
    `not_under_current_key()`."""

    description = "File encrypted at rest"


def encrypted_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field.name


def stored_values(model: type[models.Model], name: str) -> Iterator[tuple[Any, str]]:
    """The field's values as the database holds them (ciphertexts), by primary key."""
    raw = models.functions.Cast(name, output_field=models.TextField())
    rows = model._base_manager.exclude(**{f"{name}__isnull": True})
    for pk, stored in rows.annotate(_stored=raw).values_list("pk", "_stored").iterator():
        if stored:
            yield pk, stored


def encrypted_file_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedFileField):
                yield model, field.name


def _stored_files(model: type[models.Model], name: str) -> Iterator[models.Model]:
    yield from model._base_manager.exclude(**{name: ""}).iterator()


def file_under_current_key(stored: IO[bytes]) -> bool:
    """Whether the current (first) key alone opens an encrypted file: its first token is
    enough, since every chunk of a file is written with the same key."""
    head = stored.read(len(FILE_HEADER))
    token = stored.readline().rstrip(b"\n") if head == FILE_HEADER else head + stored.read()
    return under_current_key(PREFIX + token.decode("ascii"))


class _ChunkReader:
    """The plaintext of an encrypted file, read as a file (`encrypt_file` reads its source)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1, /) -> bytes:
        while size < 0 or len(self._buffer) < size:
            following = next(self._chunks, None)
            if following is None:
                break
            self._buffer += following
        if size < 0:
            size = len(self._buffer)
        taken, self._buffer = self._buffer[:size], self._buffer[size:]
        return taken


def _rotate_file(model: type[models.Model], name: str, row: models.Model) -> bool:
    """Re-encrypt one row's file under the current key into a new file (the row then names
    it) and remove the old one once the transaction commits; False if it was under it."""
    field_file = getattr(row, name)
    with field_file.open("rb") as stored:
        if file_under_current_key(stored):
            return False
        stored.seek(0)
        with tempfile.TemporaryFile(prefix="wpsmonitor-rotate-") as sealed:
            encrypt_file(_ChunkReader(decrypted_chunks(stored)), sealed)
            sealed.seek(0)
            old_name = field_file.name
            storage = field_file.storage
            field = model._meta.get_field(name)
            assert isinstance(field, models.FileField)
            new_name = storage.save(field.generate_filename(row, "rotated"), File(sealed))
    model._base_manager.filter(pk=row.pk).update(**{name: new_name})
    transaction.on_commit(lambda: storage.delete(old_name))
    return True


def not_under_current_key() -> dict[str, int]:
    """The values and files the current key alone does not open yet, by model and field: all
    must be 0 before an older key is removed."""
    behind = {
        f"{model._meta.label}.{name}": sum(
            not under_current_key(stored) for _pk, stored in stored_values(model, name)
        )
        for model, name in encrypted_fields()
    }
    for model, name in encrypted_file_fields():
        count = 0
        for row in _stored_files(model, name):
            with getattr(row, name).open("rb") as stored:
                count += not file_under_current_key(stored)
        behind[f"{model._meta.label}.{name}"] = count
    return behind


def rotate() -> dict[str, int]:
    """Re-encrypt every encrypted field and file with the current (first) key, in one
    transaction per model and field: what a later removal of the older keys needs. A file is
    written anew under a new name and the old one removed once its row names the new one.
    Returns the values and files rewritten, by model and field."""
    done: dict[str, int] = {}
    for model, name in encrypted_fields():
        count = 0
        with transaction.atomic():
            for pk, stored in stored_values(model, name):
                if not under_current_key(stored):
                    text = decrypt_text(stored)
                    model._base_manager.filter(pk=pk).update(**{name: text})
                    count += 1
        done[f"{model._meta.label}.{name}"] = count
    for model, name in encrypted_file_fields():
        count = 0
        with transaction.atomic():
            for row in _stored_files(model, name):
                count += _rotate_file(model, name, row)
        done[f"{model._meta.label}.{name}"] = count
    return done
