"""One Rasa server with all four messaging channels enabled (test secrets), its action server, and the local
platform APIs they talk to; started once for the channel tests."""
import os
import time

import pytest
import yaml

from tests.channels.platforms import (
    SECRETS,
    SMS_NUMBER,
    TELEGRAM_BOT_NAME,
    TELEGRAM_TOKEN,
    TWILIO_ACCOUNT,
    WHATSAPP_NUMBER,
    Platforms,
)
from tests.conftest import PROJECT_ROOT
from tests.processes import ready, start, stop

BASE_PORT = int(os.environ.get("CHANNELS_PORT", "24100"))
RASA_PORT, ACTIONS_PORT, PLATFORMS_PORT = BASE_PORT, BASE_PORT + 1, BASE_PORT + 2
RASA_URL = f"http://127.0.0.1:{RASA_PORT}"
STARTUP_SECONDS = 300


def webhook(channel: str) -> str:
    return f"{RASA_URL}/webhooks/{channel}/webhook"


def credentials() -> dict:
    return {
        "channels.rest.ResilientRestInput": None,
        "channels.messaging.SlackInput": {"slack_token": "xoxb-test-token", "slack_signing_secret": SECRETS["slack"]},
        "channels.messaging.TelegramInput": {"access_token": TELEGRAM_TOKEN, "verify": TELEGRAM_BOT_NAME,
                                             "webhook_url": webhook("telegram"),
                                             "secret_token": SECRETS["telegram"]},
        "channels.messaging.FacebookInput": {"verify": "verify-token-for-tests", "secret": SECRETS["facebook"],
                                             "page-access-token": "page-token-for-tests"},
        "channels.messaging.TwilioInput": {"account_sid": TWILIO_ACCOUNT, "auth_token": SECRETS["twilio"],
                                           "twilio_number": SMS_NUMBER, "whatsapp_number": WHATSAPP_NUMBER,
                                           "webhook_url": webhook("twilio")},
    }


@pytest.fixture(scope="session")
def platforms():
    fake = Platforms(PLATFORMS_PORT).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def messaging_server(tmp_path_factory, trained_model, platforms):
    folder = tmp_path_factory.mktemp("channels")
    (folder / "credentials.yml").write_text(yaml.safe_dump(credentials()))
    (folder / "endpoints.yml").write_text(yaml.safe_dump(
        {"action_endpoint": {"url": f"http://127.0.0.1:{ACTIONS_PORT}/webhook"}}))
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false",
           **{variable: platforms.url(platform) for platform, variable in
              {"slack": "SLACK_API_URL", "telegram": "TELEGRAM_API_URL", "facebook": "FACEBOOK_GRAPH_URL",
               "twilio": "TWILIO_API_URL"}.items()}}
    rasa = str(PROJECT_ROOT / ".venv" / "bin" / "rasa")
    processes = [
        start([rasa, "run", "actions", "--actions", "actions.actions", "--port", str(ACTIONS_PORT)],
              folder / "actions.log", env),
        start([rasa, "run", "--model", str(trained_model), "--port", str(RASA_PORT), "--endpoints",
               str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml")],
              folder / "rasa.log", env)]
    started, deadline = time.time(), time.time() + STARTUP_SECONDS
    try:
        while not (ready(f"http://127.0.0.1:{ACTIONS_PORT}/health") and ready(RASA_URL)):
            logs = "\n".join((folder / name).read_text()[-3000:] for name in ("actions.log", "rasa.log"))
            if any(p.poll() is not None for p in processes) or time.time() > deadline:
                pytest.fail("the messaging test servers did not start:\n" + logs)
            time.sleep(1)
        print(f"\nMessaging channels ready in {time.time() - started:.0f} s")
        yield folder
    finally:
        for process in reversed(processes):
            stop(process)
