"""Dossier pages, split by who uses them (re-exported so URLs need one import).

- shared.py: what citizens and officers both open (detail, files, slips)
- public.py: tracking and result verification, without login
- citizen.py: submission wizard, my dossiers, supplement, withdraw, rating
- officer.py: the one-stop shop's queue and actions
"""

from .public import result_verify, track
from .shared import attachment_download, dossier_detail, mask_name, slip_pdf

__all__ = [
    "attachment_download",
    "dossier_detail",
    "mask_name",
    "result_verify",
    "slip_pdf",
    "track",
]
