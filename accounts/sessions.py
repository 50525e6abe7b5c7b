"""Django's database sessions, each read by a statement compiled once.

Every signed-in request reads its session; Django's store compiled that lookup
each time. Here it is a prepared read (portal.db.PreparedRead) by key, the
expiry checked on the row as Django's query checks it. Same table, same
encoding: the sessions of before stay valid. SESSION_ENGINE = "accounts.sessions".
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.db import PreparedRead

SESSION = PreparedRead(
    lambda key: Session.objects.filter(session_key=key)[:1],
    key=str,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        found = SESSION.first(key=self.session_key) if self.session_key else None
        if found is not None and found.expire_date > timezone.now():
            return found
        self._session_key = None
        return None
