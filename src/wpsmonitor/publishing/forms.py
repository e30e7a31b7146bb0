"""The forms of the releases page: every POST is bound to one of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wpsmonitor.publishing.services import NOTE_MAX, REASON_MAX


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=REASON_MAX)


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("How was it resolved?"), max_length=NOTE_MAX)
