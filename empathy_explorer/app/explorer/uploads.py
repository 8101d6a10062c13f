"""The session explorer's uploads as plain data: the size limit, and two files chosen together as one ZIP.

Reading the files is :func:`empathy_explorer.recordings.load_recording`'s job; this module only prepares
what the upload widget hands over (``{"name", "size", "content"}`` items).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence

from empathy_explorer.errors import InputError
from empathy_explorer.recordings import MAX_FILE_BYTES

__all__ = ["Upload", "bundle_files", "check_size", "content_of", "read_upload"]

#: One item of the upload widget's value: ``name``, ``size`` and ``content`` (bytes or a memoryview).
Upload = Mapping[str, object]


def check_size(name: str, size: int) -> None:
    """Refuse a file over :data:`~empathy_explorer.recordings.MAX_FILE_BYTES` before it is read.

    Examples
    --------
    >>> check_size("small.csv", 1_000)
    >>> try:
    ...     check_size("huge.csv", 10**9)
    ... except InputError as err:
    ...     print(str(err)[:40])
    huge.csv is 1000.0 MB; files up to 20 MB
    """
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{name} is {size / 1e6:.1f} MB; files up to {MAX_FILE_BYTES / 1e6:.0f} MB can be analysed here. "
            "Cut the recording into shorter parts or keep only the needed columns."
        )


def content_of(item: Upload) -> bytes:
    """The bytes of one uploaded item."""
    content = item.get("content", b"")
    return bytes(content) if isinstance(content, bytes | bytearray | memoryview) else b""


def bundle_files(files: Sequence[Upload]) -> tuple[str, bytes]:
    """Two files chosen together (one per person) as one in-memory ZIP, the way the loader takes pairs.

    Returns
    -------
    (str, bytes)
        A name joining both file names ("a.csv + b.csv") and the ZIP's bytes.

    Raises
    ------
    InputError
        Not exactly two files, or a file over the size limit.
    """
    if len(files) != 2:
        raise InputError(
            f"{len(files)} files were chosen. Choose one file with both people, or the two people's files."
        )
    names = [str(f.get("name", f"file{i + 1}")) for i, f in enumerate(files)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f, name in zip(files, names, strict=True):
            content = content_of(f)
            check_size(name, len(content))
            zf.writestr(name, content)
    return " + ".join(names), buf.getvalue()


def read_upload(files: Sequence[Upload]) -> tuple[str, bytes]:
    """The upload widget's files as (name, bytes): one file as it is, two chosen together as one ZIP.

    Raises
    ------
    InputError
        More than two files, or a file over the size limit (refused before it is parsed).
    """
    if len(files) != 1:
        return bundle_files(files)
    name = str(files[0].get("name", "upload.csv"))
    content = content_of(files[0])
    check_size(name, len(content))
    return name, content
