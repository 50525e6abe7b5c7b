"""The national portal's status codes (Cổng DVCQG), one per status of a dossier here.

The codes are those the national sync data uses, as a provincial system seeds them
(../shared/reference/one-stop-rules.md section 5, secondary: read in a province's
system, not in Circular 04/2025, which was not read). A status added to
`dossiers.models.Status` must be mapped here: a test fails until it is.
"""

from dossiers.models import Channel, Status

SYNC_CODES: dict[str, str] = {
    Status.SUBMITTED: "receiving",
    Status.RECEIVED: "new",
    Status.SUPPLEMENT_REQUESTED: "waiting",
    Status.AWAITING_PAYMENT: "paying",
    Status.PROCESSING: "processing",
    # Appraised, awaiting signature, or signed off but its result not issued
    # yet (issue 18): still being processed for the national portal, whose
    # "releasing" means the result is there to collect.
    Status.APPRAISED: "processing",
    Status.AWAITING_SIGNATURE: "processing",
    Status.SIGNED: "processing",
    Status.RESULT_READY: "releasing",
    Status.RETURNED: "done",
    Status.REFUSED: "denied",
    Status.WITHDRAWN: "cancelled",
    Status.STOPPED: "unresolved",
}

# KenhThucHien of the national sync data: 1 at the counter, 2 online, 3 by post.
CHANNEL_CODES: dict[str, int] = {
    Channel.COUNTER: 1,
    Channel.ONLINE: 2,
    Channel.POST: 3,
}


def sync_code(status: str) -> str:
    return SYNC_CODES[status]
