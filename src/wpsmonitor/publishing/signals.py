"""What publishing tells the layers above it, which it may not import (docs/architecture.md).

`release_published` is sent by `services.release_publish` inside its transaction, with the
release (keyword `release`); a receiver that acts on the published state defers its work with
`transaction.on_commit` (the portal warms the cache of public pages: portal/warming.py).
"""

from __future__ import annotations

from django.dispatch import Signal

release_published = Signal()
