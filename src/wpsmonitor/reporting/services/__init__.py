"""Writes of the reporting cycle. Every function checks the caller's rights (PlanAccess) itself,
so a view or an API endpoint cannot forget to; refusals raise PermissionDenied, bad input
ValidationError, and nothing is changed in either case. A caller that has loaded the rights
already passes them down (`access=`), so that a request loads them once.

The cycle: a coordinator opens a round (rounds) and says who reports what (roles,
assignments); focal points save figures into their submission (draft), submit it
(submissions); the coordinator returns it with a note or approves it (review). Approval writes
the figures to the fact table through the ingest service (the same checks as every import,
once; fact_table) and asks for the aggregates to be rebuilt; approved submissions are locked
until the coordinator unlocks them, with a reason. Civil-society monitors publish their own
submissions instead, and may report on indicators of their own (own_indicators).

The names below are those callers outside the reporting app use; inside it, import from the
module that holds the function.
"""

from wpsmonitor.reporting.checks import SaveResult
from wpsmonitor.reporting.entry import DUE_KINDS
from wpsmonitor.reporting.services.assignments import (
    assignment_add,
    assignment_remove,
    assignments_from_responsibilities,
)
from wpsmonitor.reporting.services.attachments import evidence_attach
from wpsmonitor.reporting.services.own_indicators import (
    OWN_INDICATOR_FIELDS,
    own_indicator_create,
    own_indicator_delete,
    own_indicator_publish,
    own_indicator_update,
)
from wpsmonitor.reporting.services.review import (
    submission_approve,
    submission_return,
    submission_unlock,
)
from wpsmonitor.reporting.services.roles import role_grant, role_revoke
from wpsmonitor.reporting.services.rounds import exception_grant, round_close, round_open
from wpsmonitor.reporting.services.submissions import (
    source_for,
    submission_save,
    submission_start,
    submission_submit,
)
from wpsmonitor.reporting.services.workbook import plan_workbook_import

__all__ = [
    "DUE_KINDS",
    "OWN_INDICATOR_FIELDS",
    "SaveResult",
    "assignment_add",
    "assignment_remove",
    "assignments_from_responsibilities",
    "evidence_attach",
    "exception_grant",
    "own_indicator_create",
    "own_indicator_delete",
    "own_indicator_publish",
    "own_indicator_update",
    "plan_workbook_import",
    "role_grant",
    "role_revoke",
    "round_close",
    "round_open",
    "source_for",
    "submission_approve",
    "submission_return",
    "submission_save",
    "submission_start",
    "submission_submit",
    "submission_unlock",
]
