"""Deletes conversations older than the retention period (RETENTION_DAYS, see settings.py):
`python -m conversation_store.retention`. scripts/serve.sh runs it at every start."""
import sys
import time
from pathlib import Path
from typing import Optional

import sqlalchemy as sa

from .settings import conversations_url, printable_url, retention_days

SECONDS_PER_DAY = 86400
BATCH = 500


def delete_older_than(url: str, days: float, now: Optional[float] = None) -> int:
    """Deletes every event of the conversations whose latest event is more than `days` old; returns how many
    conversations. Works on the `events` table of Rasa's SQL tracker store."""
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return 0  # no conversation yet
    engine = sa.create_engine(url)
    if not sa.inspect(engine).has_table("events"):
        return 0
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    cutoff = (now or time.time()) - days * SECONDS_PER_DAY
    stale = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)
    with engine.begin() as connection:
        senders = [sender for (sender,) in connection.execute(stale)]
        for start in range(0, len(senders), BATCH):
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(senders[start:start + BATCH])))
    return len(senders)


def main() -> int:
    url = conversations_url()
    try:
        days = retention_days()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if not days:
        print("Retention: RETENTION_DAYS=0, conversations are kept.")
        return 0
    try:
        removed = delete_older_than(url, days)
    except sa.exc.SQLAlchemyError as error:
        print(f"The conversation database at {printable_url(url)} cannot be used ({type(error).__name__}): check "
              "CONVERSATIONS_DATABASE_URL.", file=sys.stderr)
        return 1
    print(f"Retention: {removed} conversation(s) older than {days:g} days deleted from {printable_url(url)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
