"""Deletes conversations older than the retention period (RETENTION_DAYS, see settings.py):
`python -m conversation_store.retention`. scripts/serve.sh runs it at every start."""
import os
import sys

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")  # Rasa's own tables use the 1.x API
import sqlalchemy as sa  # noqa: E402

from .settings import conversations_url, printable_url, retention_days  # noqa: E402


def reachable(url: str) -> bool:
    try:
        with sa.create_engine(url).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False


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
    if not url.startswith("sqlite") and not reachable(url):
        print(f"The conversation database at {printable_url(url)} cannot be reached: check "
              "CONVERSATIONS_DATABASE_URL.", file=sys.stderr)
        return 1
    from .stores import ConversationStore  # imports Rasa: only when there is something to do

    removed = ConversationStore(url=url).delete_older_than(days)
    print(f"Retention: {removed} conversation(s) older than {days:g} days deleted from {printable_url(url)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
