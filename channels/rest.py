"""The REST channel (/webhooks/rest/webhook). Every request is checked before any language processing
(channels/guards.py); every accepted message gets a reply a person can read, including when a turn produced no
answer (for example the action server is down) or failed."""
import hashlib
import logging
from typing import Awaitable, Callable, List, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from .guards import (
    MAX_BODY_BYTES,
    Incoming,
    Rejected,
    check_token,
    install_log_filter,
    log_text,
    read_request,
    reply_json,
    required_token,
)

logger = logging.getLogger(__name__)

NO_ANSWER = ("Sorry, part of the assistant is not responding just now, so I can't answer that yet. What you told "
             "me is kept: write again in a minute and I'll carry on from there.")
TURN_FAILED = ("Sorry, something went wrong on my side while reading that message. Please send it again in a "
               "minute.")


def conversation_ref(sender: str) -> str:
    """A short stable reference to a conversation for the log, instead of the id itself."""
    return hashlib.sha256(sender.encode("utf-8", "surrogatepass")).hexdigest()[:10]


class ResilientRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        token = required_token()
        webhook = Blueprint("rest_webhook", __name__)

        @webhook.listener("before_server_start")
        async def configure(app, _loop) -> None:
            app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
            app.config.FALLBACK_ERROR_FORMAT = "json"
            install_log_filter()

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                check_token(request.headers.get("authorization"), token)
                if request.args.get("stream", "false").lower() not in ("false", "0", ""):
                    raise Rejected(400, "Streamed replies are not offered: send the request without ?stream=true.")
                incoming = read_request(parsed_body(request), *domain_names(request))
            except Rejected as rejected:
                logger.info("rest request refused (%d): %s", rejected.status, rejected.error)
                return response.json({"error": rejected.error}, status=rejected.status)
            messages = await self.answer(incoming, on_new_message)
            return response.text(reply_json(messages), content_type="application/json")

        return webhook

    async def answer(self, incoming: Incoming, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> List:
        ref = conversation_ref(incoming.sender)
        if incoming.notice:
            logger.info("rest message from %s not processed (%s)", ref, incoming.notice.split(" (")[0])
            return [{"recipient_id": incoming.sender, "text": incoming.notice}]
        logger.info("rest message from %s, %s", ref, log_text(incoming.text))
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(incoming.text, collector, incoming.sender, input_channel=self.name(),
                                             metadata=incoming.metadata))
        except Exception as error:  # the person still gets a reply; one line in the log
            logger.error("rest message from %s failed: %s: %s", ref, type(error).__name__,
                         str(error).splitlines()[0][:300] if str(error) else "")
            return [{"recipient_id": incoming.sender, "text": TURN_FAILED}]
        return collector.messages or [{"recipient_id": incoming.sender, "text": NO_ANSWER}]


def domain_names(request: Request) -> Tuple[List[str], List[str]]:
    """The intents and entities of the loaded model's domain."""
    domain = getattr(getattr(request.app.ctx, "agent", None), "domain", None)
    return (list(domain.intents), list(domain.entities)) if domain else ([], [])


def parsed_body(request: Request):
    try:
        return request.json
    except Exception as error:
        raise Rejected(400, "The request body is not valid JSON.") from error
