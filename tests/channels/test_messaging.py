"""Slack, Telegram, Messenger, SMS and WhatsApp end to end: each platform's webhook payload, signed as the platform
signs it, posted to a running Rasa server; the replies captured at a local stand-in for the platform's API."""
import itertools
import json
import random
from dataclasses import dataclass
from typing import Callable, List

import pytest
import requests
import yaml

from channels import messaging
from channels.messaging import CHOOSE_BY_NUMBER, TEXT_LIMITS, chosen_option, split_text, with_numbered_options
from tests.channels.conftest import RASA_URL, webhook
from tests.channels.platforms import (
    TAP_ID,
    Sent,
    messenger_event,
    slack_button_click,
    slack_event,
    telegram_update,
    text_of,
    twilio_message,
)
from tests.conftest import PROJECT_ROOT

QUESTION = "What do I need for the Infant Family Specialist?"
BACKGROUND = ("hi! so i have my CDA and i've worked in an infant room at a child care center for 4 years. i have "
              "maybe 35 hours of trainings from conferences and our in-services. which category fits me?")
FORGED = "a-secret-the-platform-does-not-have"
numbers = itertools.count(random.randint(1000, 9000) * 1000)


@dataclass
class Channel:
    name: str
    platform: str
    user: Callable[[int], str]
    recipient: Callable[[str], str]
    payload: Callable[..., tuple]
    shows_buttons: bool

    def post(self, text: str, user: str, **options) -> requests.Response:
        body, headers = self.payload(text, user, **options)
        return requests.post(webhook(self.platform), data=body, headers=headers, timeout=60)


def telegram(text, user, secret=None, callback=False):
    return telegram_update(text, int(user), **({"secret": secret} if secret else {}), callback=callback)


def twilio(text, user, secret=None):
    return twilio_message(text, user, webhook("twilio"), **({"secret": secret} if secret else {}))


def signed_by(maker):
    return lambda text, user, secret=None: maker(text, user, **({"secret": secret} if secret else {}))


CHANNELS = [
    Channel("slack", "slack", lambda n: f"U{n}", lambda user: "D0" + user, signed_by(slack_event), True),
    Channel("telegram", "telegram", str, str, telegram, True),
    Channel("messenger", "facebook", str, str, signed_by(messenger_event), False),
    Channel("sms", "twilio", lambda n: f"+1555{n:07d}"[-12:], str, twilio, False),
    Channel("whatsapp", "twilio", lambda n: f"whatsapp:+1556{n:07d}"[-21:], str, twilio, False),
]


@pytest.fixture(params=CHANNELS, ids=[channel.name for channel in CHANNELS])
def channel(request, messaging_server) -> Channel:
    return request.param


def converse(channel: Channel, platforms, user: str, text: str, **options) -> List[Sent]:
    """Posts one user message and returns the messages the user received for it."""
    before = len(platforms.messages(channel.platform, channel.recipient(user)))
    reply = channel.post(text, user, **options)
    assert reply.status_code < 300, reply.text
    received = platforms.wait_for(channel.platform, channel.recipient(user), count=before + 1)[before:]
    assert received, f"{channel.name}: no reply to {text!r}"
    for message in received:
        assert 0 < len(text_of(message)) <= TEXT_LIMITS[channel.platform], text_of(message)[:200]
    return received


def shown(messages: List[Sent]) -> str:
    return "\n---\n".join(text_of(message) for message in messages)


def over_rest(sender: str, *texts: str) -> List[dict]:
    replies = []
    for text in texts:
        answer = requests.post(f"{RASA_URL}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                               timeout=60)
        answer.raise_for_status()
        replies = answer.json()
    return replies


def buttons_of(message: Sent) -> List[str]:
    """The button labels a platform shows natively (Slack blocks, Telegram inline keyboard, Messenger quick
    replies)."""
    body = message.body
    if message.platform == "slack":
        return [e["text"]["text"] for block in body.get("blocks", []) if block["type"] == "actions"
                for e in block["elements"]]
    if message.platform == "telegram" and body.get("reply_markup"):
        return [row[0]["text"] for row in json.loads(body["reply_markup"])["inline_keyboard"]]
    if message.platform == "facebook":
        return [reply["title"] for reply in body["message"].get("quick_replies", [])]
    return []


def test_a_question_gets_the_answer_and_its_options(channel, platforms):
    user = channel.user(next(numbers))
    received = converse(channel, platforms, user, QUESTION)
    expected = over_rest(f"rest-{user}", QUESTION)
    print(f"\n[{channel.name}] the user sees:\n{shown(received)}\n  buttons: {buttons_of(received[-1])}")
    assert expected[0]["text"].split("\n")[0] in text_of(received[0])
    titles = [button["title"] for button in expected[-1]["buttons"]]
    if channel.shows_buttons:
        assert buttons_of(received[-1]) == titles
    else:
        assert text_of(received[-1]).endswith(with_numbered_options("", expected[-1]["buttons"]).strip())
    assert len(received) == 1


def test_a_number_picks_that_option(channel, platforms):
    user = channel.user(next(numbers))
    converse(channel, platforms, user, QUESTION)
    picked = converse(channel, platforms, user, "2")
    buttons = over_rest(f"rest-{user}", QUESTION)[-1]["buttons"]
    expected = over_rest(f"rest-{user}", buttons[1]["payload"])
    print(f"\n[{channel.name}] after \"2\" ({buttons[1]['title']}) the user sees:\n{shown(picked)}")
    assert expected[0]["text"].split("\n")[0] in text_of(picked[0])
    assert text_of(picked[0]) != text_of(converse(channel, platforms, channel.user(next(numbers)), "2")[0])


def test_a_background_gets_one_verdict_and_no_raw_checklist(channel, platforms):
    user = channel.user(next(numbers))
    received = converse(channel, platforms, user, BACKGROUND)
    expected = [part for part in over_rest(f"rest-{user}", BACKGROUND) if part.get("text")]
    print(f"\n[{channel.name}] the verdict the user sees:\n{shown(received)}")
    verdict = next(part["text"] for part in expected if part["text"].startswith("Checked against"))
    assert "\n\n".join(text_of(message) for message in received).startswith(verdict.split("\n")[0])
    assert [text_of(message) for message in received if text_of(message).startswith("Checked against")] == \
        split_text(verdict, TEXT_LIMITS[channel.platform])[:1]
    assert not any("qualification_check" in text_of(message) or "{" in text_of(message) for message in received)
    assert len(received) == len(expected)


def test_a_forged_signature_gets_4xx_and_no_reply(channel, platforms):
    user = channel.user(next(numbers))
    reply = channel.post(QUESTION, user, secret=FORGED)
    assert 400 <= reply.status_code < 500
    assert platforms.wait_for(channel.platform, channel.recipient(user), timeout=4, settle=0) == []


def test_slack_button_click_sends_its_payload(messaging_server, platforms):
    slack = CHANNELS[0]
    user = slack.user(next(numbers))
    first = converse(slack, platforms, user, QUESTION)
    value = next(e["value"] for block in first[-1].body["blocks"] if block["type"] == "actions"
                 for e in block["elements"])
    body, headers = slack_button_click(value, user)
    assert requests.post(webhook("slack"), data=body, headers=headers, timeout=60).status_code == 200
    clicked = platforms.wait_for("slack", slack.recipient(user), count=2)[1:]
    assert over_rest(f"rest-{user}", value)[0]["text"].split("\n")[0] in text_of(clicked[0])


def test_telegram_button_tap_sends_its_payload(messaging_server, platforms):
    chat = str(next(numbers))
    first = converse(CHANNELS[1], platforms, chat, QUESTION)
    data = json.loads(first[-1].body["reply_markup"])["inline_keyboard"][1][0]["callback_data"]
    tapped = converse(CHANNELS[1], platforms, chat, data, callback=True)
    assert over_rest(f"rest-{chat}", QUESTION, data)[0]["text"].split("\n")[0] in text_of(tapped[0])
    assert any(sent.method == "answerCallbackQuery" and sent.body.get("callback_query_id") == TAP_ID
               for sent in platforms.sent)


def test_long_answers_are_split_under_the_sms_limit(messaging_server, platforms):
    sms = CHANNELS[3]
    user = sms.user(next(numbers))
    converse(sms, platforms, user, QUESTION)
    full = converse(sms, platforms, user, "1")
    everything = over_rest(f"rest-{user}", QUESTION)[-1]["buttons"][0]
    expected = "\n\n".join(part["text"] for part in over_rest(f"rest-{user}", everything["payload"]))
    print(f"\n[sms] the full IFS requirements ({len(expected)} characters) came as {len(full)} message(s) of "
          f"{[len(text_of(m)) for m in full]} characters")
    assert " ".join(" ".join(text_of(m).split()) for m in full).startswith(" ".join(expected.split())[:1000])


def test_split_text_keeps_every_word_and_cuts_at_boundaries():
    paragraph = "One sentence here. Another sentence follows it! " * 30
    text = "\n\n".join([paragraph.strip()] * 6)
    for limit in (160, 1600, 2000):
        parts = split_text(text, limit)
        assert all(0 < len(part) <= limit for part in parts)
        assert " ".join(parts).split() == text.split()
        assert all(part.endswith((".", "!")) for part in parts)
    assert split_text("short", 1600) == ["short"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_number_picks_only_a_listed_option():
    buttons = [{"title": "A", "payload": "/a"}, {"title": "B", "payload": "/b"}]
    assert [chosen_option(reply, buttons) for reply in ("1", " 2. ", "#2", "3", "0", "2 years", "")] == \
        ["/a", "/b", "/b", None, None, None, None]
    assert with_numbered_options("Pick one.", buttons) == f"Pick one.\n\n{CHOOSE_BY_NUMBER}\n1. A\n2. B"


def test_the_commented_channel_blocks_in_credentials_yml_configure_the_channels():
    """Uncommented, each block of credentials.yml builds its channel with every value read."""
    lines = (PROJECT_ROOT / "credentials.yml").read_text().splitlines()
    blocks = {}
    for number, line in enumerate(lines):
        if line.startswith("# channels.messaging."):
            block = itertools.takewhile(lambda text: text.startswith("#   "), lines[number + 1:])
            blocks[line[2:].rstrip(":")] = yaml.safe_load("\n".join(text[2:] for text in block))
    assert set(blocks) == {f"channels.messaging.{name}Input" for name in ("Slack", "Telegram", "Facebook", "Twilio")}
    for path, values in blocks.items():
        channel = getattr(messaging, path.split(".")[-1]).from_credentials(values)
        assert channel.name() in webhook(channel.name())
        assert all(value in vars(channel).values() for value in values.values()), path


def test_telegram_asks_for_its_own_name_once(messaging_server, platforms):
    converse(CHANNELS[1], platforms, str(next(numbers)), QUESTION)
    converse(CHANNELS[1], platforms, str(next(numbers)), QUESTION)
    assert [sent.method for sent in platforms.sent].count("getMe") == 1
