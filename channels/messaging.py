"""Slack, Telegram, Facebook Messenger and Twilio (SMS and WhatsApp) on Rasa's own connectors, adjusted so that:

- long answers are split under each platform's length limit, at paragraph, line or sentence boundaries;
- buttons stay buttons where the platform shows them, and become numbered options where it cannot (SMS, WhatsApp,
  Messenger, more buttons than Slack shows); a reply of "2" picks the second option of the assistant's last
  message with options, read from the conversation's tracker (so it persists exactly as the tracker store does);
- custom JSON payloads (the qualification checklist for web pages) are not sent: the text verdict comes with them;
- every webhook checks the platform's signature or secret and answers a forged request with 403.

Each platform's API base URL can be pointed elsewhere through an environment variable (API_URLS below); by default
the real platform is used.
"""
import asyncio
import hmac
import logging
import os
import re
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError
from fbmessenger import MessengerClient
from rasa.core.channels import facebook, slack, telegram, twilio
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

API_URLS = {"slack": ("SLACK_API_URL", "https://slack.com/api/"),
            "telegram": ("TELEGRAM_API_URL", "https://api.telegram.org"),
            "facebook": ("FACEBOOK_GRAPH_URL", "https://graph.facebook.com"),
            "twilio": ("TWILIO_API_URL", "https://api.twilio.com")}
# Longest text one message may carry: Slack section blocks 3000, Telegram 4096, Messenger 2000, Twilio's Messages
# API 1600 for SMS and for WhatsApp alike.
TEXT_LIMITS = {"slack": 3000, "telegram": 4096, "facebook": 2000, "twilio": 1600}
SLACK_MAX_BUTTONS = 25
SLACK_BUTTON_TITLE = 75
TELEGRAM_CALLBACK_BYTES = 64
MESSENGER_QUICK_REPLIES = 13
SEND_API_TIMEOUT = 20
CHOOSE_BY_NUMBER = "Reply with a number to choose:"
BOUNDARIES = [re.compile(pattern) for pattern in (r"\n[ \t]*\n", r"\n", r"(?<=[.!?;:])\s", r"\s")]
OPTION_NUMBER = re.compile(r"\s*#?(\d{1,2})[.)]?\s*")


def api_url(platform: str) -> str:
    variable, default = API_URLS[platform]
    return os.environ.get(variable) or default


def split_text(text: str, limit: int) -> List[str]:
    """The text in as few parts of at most `limit` characters as it takes."""
    parts, rest = [], text.strip()
    while len(rest) > limit:
        cut = last_boundary(rest[:limit + 1]) or limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts + ([rest] if rest else [])


def last_boundary(window: str) -> int:
    """Where to cut: the last paragraph break in the window, else line break, else sentence end, else space."""
    for pattern in BOUNDARIES:
        cuts = [match.start() for match in pattern.finditer(window) if match.start() > 0]
        if cuts:
            return cuts[-1]
    return 0


def with_numbered_options(text: str, buttons: List[Dict[str, Any]]) -> str:
    options = "\n".join(f"{number}. {button['title']}" for number, button in enumerate(buttons, 1))
    return f"{text}\n\n{CHOOSE_BY_NUMBER}\n{options}"


def chosen_option(text: Optional[str], buttons: List[Dict[str, Any]]) -> Optional[str]:
    """The payload of the option a reply such as "2" picks, if it is a number of one of `buttons`."""
    match = OPTION_NUMBER.fullmatch(text or "")
    number = int(match.group(1)) if match else 0
    return buttons[number - 1].get("payload") if 1 <= number <= len(buttons) else None


class Webhook(InputChannel):
    """What every messaging input channel here adds: the signature check and picking options by number."""

    agent = None
    signed_methods: Tuple[str, ...] = ("POST",)

    def verified(self, request: Request) -> bool:
        """Whether a POST to the webhook really comes from the platform (Slack's own connector checks it itself)."""
        return True

    def guard(self, blueprint: Blueprint) -> Blueprint:
        @blueprint.middleware("request")
        async def check_and_note_agent(request: Request) -> Optional[HTTPResponse]:
            self.agent = request.app.ctx.agent
            signed = request.method in self.signed_methods and request.path.endswith("/webhook")
            if signed and not self.verified(request):
                logger.warning("%s webhook: request with a missing or wrong signature refused", self.name())
                return response.text("Signature missing or wrong.", status=HTTPStatus.FORBIDDEN)
            return None

        return blueprint

    def picking_options(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                        ) -> Callable[[UserMessage], Awaitable[Any]]:
        async def handle(message: UserMessage) -> None:
            if OPTION_NUMBER.fullmatch(message.text or ""):
                message.text = chosen_option(message.text, await self.last_options(message.sender_id)) or message.text
            await on_new_message(message)

        return handle

    async def last_options(self, sender_id: str) -> List[Dict[str, Any]]:
        """The buttons of the assistant's last message with buttons since the user last wrote."""
        tracker = await self.agent.tracker_store.retrieve(sender_id) if self.agent else None
        for event in reversed(tracker.events if tracker else []):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered) and event.data.get("buttons"):
                return event.data["buttons"]
        return []


async def drop_custom_json(recipient_id: str, json_message: Any, **kwargs: Any) -> None:
    """Custom payloads (the checklist for web pages) are not for messaging apps; their text was already sent."""
    logger.debug("custom payload with keys %s not sent to %s", list(json_message)[:5], recipient_id)


# Slack: buttons in blocks (values are the payloads); the connector checks X-Slack-Signature itself (400 if wrong).

def slack_escaped(text: str) -> str:
    """Slack reads &, < and > as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackOutput(slack.SlackBot):
    def __init__(self, token: str, slack_channel: Optional[str] = None, thread_id: Optional[str] = None,
                 proxy: Optional[str] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url("slack"))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(slack_escaped(text), TEXT_LIMITS["slack"]):
            await self._post_message(channel=self.slack_channel or recipient_id, text=part)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        if len(buttons) > SLACK_MAX_BUTTONS:
            return await self.send_text_message(recipient_id, with_numbered_options(text, buttons))
        *first, last = split_text(slack_escaped(text), TEXT_LIMITS["slack"]) or [""]
        for part in first:
            await self._post_message(channel=self.slack_channel or recipient_id, text=part)
        elements = [{"type": "button", "value": button["payload"],
                     "text": {"type": "plain_text", "text": button["title"][:SLACK_BUTTON_TITLE]}}
                    for button in buttons]
        await self._post_message(channel=self.slack_channel or recipient_id, text=last,
                                 blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": last}},
                                         {"type": "actions", "elements": elements}])

    send_custom_json = staticmethod(drop_custom_json)


class SlackInput(Webhook, slack.SlackInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return self.guard(super().blueprint(self.picking_options(on_new_message)))

    def get_output_channel(self, channel: Optional[str] = None, thread_id: Optional[str] = None) -> SlackOutput:
        return SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)


# Telegram: inline keyboard buttons; X-Telegram-Bot-Api-Secret-Token must match the secret_token registered with
# setWebhook.

class TelegramOutput(telegram.TelegramOutput):
    def __init__(self, access_token: Optional[str], secret_token: str = "") -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url("telegram")))
        self.secret_token = secret_token

    async def get_me(self) -> Any:
        """The bot's own account, asked once (the connector compares its username with `verify` on every update)."""
        if not getattr(self, "account", None):
            self.account = await super().get_me()
        return self.account

    async def set_webhook(self, url: str, **kwargs: Any) -> bool:
        """Registers the webhook with the secret token Telegram then sends in every update."""
        return await self.request("setWebhook", {"url": url, "secret_token": self.secret_token})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text, TEXT_LIMITS["telegram"]):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        """One button per row. A button sends its payload back when it fits Telegram's 64 bytes of callback data,
        else its number (resolved like a typed number, against the latest options)."""
        *first, last = split_text(text, TEXT_LIMITS["telegram"]) or [""]
        for part in first:
            await self.send_message(recipient_id, part)
        keyboard = InlineKeyboardMarkup()
        for number, button in enumerate(buttons, 1):
            payload = button["payload"]
            data = payload if len(payload.encode()) <= TELEGRAM_CALLBACK_BYTES else str(number)
            keyboard.row(InlineKeyboardButton(button["title"], callback_data=data))
        await self.send_message(recipient_id, last, reply_markup=keyboard)

    send_custom_json = staticmethod(drop_custom_json)


class TelegramInput(Webhook, telegram.TelegramInput):
    signed_methods = ("GET", "POST")

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        if not credentials or not credentials.get("secret_token"):
            raise InvalidConfigException("The telegram channel needs access_token, verify (the bot's username), "
                                         "webhook_url and secret_token in credentials.yml.")
        channel = cls(credentials.get("access_token"), credentials.get("verify"), credentials.get("webhook_url"),
                      debug_mode=False)
        channel.secret_token = str(credentials["secret_token"])
        return channel

    def verified(self, request: Request) -> bool:
        return hmac.compare_digest(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), self.secret_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = self.guard(super().blueprint(self.picking_options(on_new_message)))

        @blueprint.middleware("request")
        async def acknowledge_tap(request: Request) -> None:
            """Ends the tapped button's loading indicator."""
            update = request.json if request.method == "POST" and request.path.endswith("/webhook") else None
            tap = update.get("callback_query") if isinstance(update, dict) else None
            if isinstance(tap, dict) and tap.get("id"):
                try:
                    await self.output.answer_callback_query(tap["id"])
                except TelegramAPIError as error:
                    logger.warning("telegram: the button tap was not acknowledged: %s", error)

        return blueprint

    def get_output_channel(self) -> TelegramOutput:
        """The output channel, after registering the webhook (and its secret token) with Telegram."""
        async def register() -> None:
            setup = TelegramOutput(self.access_token, self.secret_token)
            try:
                await setup.set_webhook(self.webhook_url)
            finally:
                await setup.close()

        asyncio.run(register())
        self.output = TelegramOutput(self.access_token, self.secret_token)
        return self.output


# Facebook Messenger: numbered options with quick replies "1", "2", ... (button titles do not fit Messenger's 20
# characters); X-Hub-Signature-256 (HMAC-SHA256 of the body with the app secret) must match.

class GraphClient(MessengerClient):
    def __init__(self, page_access_token: str) -> None:
        super().__init__(page_access_token)
        self.graph_url = f"{api_url('facebook').rstrip('/')}/v{self.api_version}"


class MessengerOutput(facebook.MessengerBot):
    """Sends through the Send API; fbmessenger's client is synchronous, so each call runs in a thread."""

    async def post(self, message: Dict[str, Any], recipient_id: str) -> None:
        await asyncio.to_thread(self.messenger_client.send, message, recipient_id, "RESPONSE",
                                timeout=SEND_API_TIMEOUT)

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        await asyncio.to_thread(self.messenger_client.send_action, sender_action, recipient_id,
                                timeout=SEND_API_TIMEOUT)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text, TEXT_LIMITS["facebook"]):
            await self.post({"text": part}, recipient_id)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        *first, last = split_text(with_numbered_options(text, buttons), TEXT_LIMITS["facebook"])
        for part in first:
            await self.post({"text": part}, recipient_id)
        replies = [{"content_type": "text", "title": str(number), "payload": button["payload"]}
                   for number, button in enumerate(buttons[:MESSENGER_QUICK_REPLIES], 1)]
        await self.post({"text": last, "quick_replies": replies}, recipient_id)

    send_custom_json = staticmethod(drop_custom_json)


class Messenger(facebook.Messenger):
    def __init__(self, page_access_token: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = GraphClient(page_access_token)

    async def handle(self, payload: Dict, metadata: Optional[Dict[str, Any]]) -> None:
        """Every event of the batch (Messenger may send several in one request)."""
        for entry in payload.get("entry", []):
            for event in entry.get("messaging", []):
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def _handle_user_message(self, text: str, sender_id: str, metadata: Optional[Dict[str, Any]]) -> None:
        output = MessengerOutput(self.client)
        await output.send_action(sender_id, sender_action="mark_seen")
        await output.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, output, sender_id, input_channel=self.name(),
                                                  metadata=metadata))
        except Exception:
            logger.exception("facebook: the message could not be handled")
        finally:
            await output.send_action(sender_id, sender_action="typing_off")


class FacebookInput(Webhook, facebook.FacebookInput):
    def verified(self, request: Request) -> bool:
        expected = "sha256=" + hmac.new((self.fb_secret or "").encode(), request.body, "sha256").hexdigest()
        return bool(self.fb_secret) and hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""),
                                                            expected)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("fb_webhook", __name__)
        handle = self.picking_options(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            if self.fb_verify and request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("Wrong verify token.", status=HTTPStatus.FORBIDDEN)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            await Messenger(self.fb_access_token, handle).handle(request.json or {}, self.get_metadata(request))
            return response.text("success")

        return self.guard(webhook)

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(GraphClient(self.fb_access_token))


# Twilio, SMS and WhatsApp: numbered options; X-Twilio-Signature (HMAC-SHA1 of the webhook URL and the sorted form
# fields, keyed with the auth token) must match.

class TwilioOutput(twilio.TwilioOutput):
    def __init__(self, account_sid: Optional[str], auth_token: Optional[str], twilio_number: Optional[str],
                 whatsapp_number: Optional[str] = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.whatsapp_number = whatsapp_number
        self.api.base_url = api_url("twilio")

    async def _send_message(self, message_data: Dict[str, Any]) -> Any:
        """One Messages API call, in a thread (the Twilio client is synchronous)."""
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.error("twilio: the message to %s was not sent: %s", message_data.get("to"), error.msg)
            return None

    def sender_number(self, recipient_id: str) -> Optional[str]:
        return self.whatsapp_number if recipient_id.startswith("whatsapp:") else self.twilio_number

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text, TEXT_LIMITS["twilio"]):
            await self._send_message({"to": recipient_id, "from_": self.sender_number(recipient_id), "body": part})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, with_numbered_options(text, buttons))

    send_custom_json = staticmethod(drop_custom_json)


class TwilioInput(Webhook, twilio.TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        if not credentials or not credentials.get("auth_token"):
            raise InvalidConfigException("The twilio channel needs account_sid, auth_token and twilio_number "
                                         "(and whatsapp_number for WhatsApp) in credentials.yml.")
        channel = cls(credentials.get("account_sid"), credentials["auth_token"], credentials.get("twilio_number"),
                      debug_mode=False)
        channel.whatsapp_number = credentials.get("whatsapp_number")
        channel.webhook_url = credentials.get("webhook_url")
        return channel

    def verified(self, request: Request) -> bool:
        """Twilio signs the URL it was given; behind a proxy set webhook_url to that public URL."""
        url = self.webhook_url or request.url
        return RequestValidator(self.auth_token).validate(url, request.form,
                                                          request.headers.get("X-Twilio-Signature", ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return self.guard(super().blueprint(self.picking_options(on_new_message)))

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.whatsapp_number)

