"""Photos as a phone makes them: EXIF with a GPS position, the device, the time; a comment."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

DEVICE = "WitnessPhone X"
# 1°40'N 29°13'E: a village in Nord-Kivu.
GPS = {1: "N", 2: (1.0, 40.0, 0.0), 3: "E", 4: (29.0, 13.0, 0.0)}
GPS_IFD = 0x8825


def photo_with_gps(fmt: str = "JPEG", *, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    image.paste((200, 0, 0), (0, 0, 20, 30))  # left half red
    exif = Image.Exif()
    exif[0x010F] = "Witness Inc."  # Make
    exif[0x0110] = DEVICE  # Model
    exif[0x0132] = "2025:03:14 09:26:53"  # DateTime
    exif[0x0112] = orientation
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", exif=exif, comment=f"taken by {DEVICE}".encode())
    else:
        text = PngImagePlugin.PngInfo()
        text.add_text("Location", "Kanyabayonga, Nord-Kivu")
        image.save(out, "PNG", exif=exif, pnginfo=text)
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, data, content_type)


def assert_bare(data: bytes) -> Image.Image:
    """The stored picture: readable, with no EXIF, no comment, no text chunk left."""
    assert DEVICE.encode() not in data
    assert b"Exif" not in data and b"Nord-Kivu" not in data
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert not set(image.info) & {"exif", "comment", "Location", "xmp"}, image.info
    return image
