"""The socket.io channel for the website chat.

Rasa's own socket.io output passes a custom payload's keys to `emit()` as keyword arguments, so the qualification
checklist ({"qualification_check": ...}) raised a TypeError, never reached the page, and the turn was not saved.
Here a custom payload is sent as the event's data, {"custom": {...}}, the same shape the REST channel returns.
Only the origins in CORS_ORIGINS may connect, and a turn that produced no answer gets a clear reply.
With Sanic 21.12 only Engine.IO's long-polling transport works (its WebSocket driver fails the handshake), so
the page connects with polling and relies on these CORS headers.
"""
import asyncio
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Union

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic_cors.core import SANIC_CORS_EVALUATED

from channels.rest import NO_ANSWER

DEFAULT_WEB_PORT = 8080


def allowed_origins() -> Union[List[str], str]:
    """CORS_ORIGINS (comma- or space-separated, "*" for any); by default the chat page's own origin."""
    configured = os.environ.get("CORS_ORIGINS", "").replace(",", " ").split()
    if "*" in configured:
        return "*"
    if configured:
        return [origin.rstrip("/") for origin in configured]
    port = os.environ.get("WEB_PORT") or DEFAULT_WEB_PORT
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


class WebsiteOutput(SocketIOOutput):
    """Sends every part of an answer as the bot event's data and counts what it sent."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebsiteSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebsiteOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def answer_or_apologise(message: UserMessage) -> None:
            output = WebsiteOutput(self.sio, self.bot_message_evt)
            message.output_channel = output
            await on_new_message(message)
            if not output.sent:
                await output.send_text_message(message.sender_id, NO_ANSWER)

        blueprint = super().blueprint(answer_or_apologise)
        assert self.sio is not None
        limit_origins(self.sio.eio)
        answer_stale_polls(self.sio.eio)
        return blueprint


def answer_stale_polls(engine: Any) -> None:
    """A poll that arrives just after its session closed makes python-engineio 4.5 raise KeyError ("Session is
    disconnected") instead of answering, which Sanic turns into a 500 and a traceback in the log. It gets a 400 with
    a JSON error instead. The app attaches `engine.handle_request` when the blueprint is registered, after this."""
    handle = engine.handle_request

    async def handle_request(request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await handle(request, *args, **kwargs)
        except KeyError as error:
            return response.json({"error": f"socket.io session closed ({error.args[0] if error.args else ''})"},
                                 status=400)

    engine.handle_request = handle_request


def limit_origins(engine: Any) -> None:
    """Engine.IO checks the Origin of every socket.io request and answers with its own CORS headers; the app-wide
    CORS settings (rasa run --cors) are then skipped for these requests, so a header is never sent twice."""
    engine.cors_allowed_origins = allowed_origins()
    translate = engine._async["translate_request"]

    async def translate_request(request: Any) -> Dict:
        setattr(request.ctx, SANIC_CORS_EVALUATED, "1")
        return await translate(request) if asyncio.iscoroutinefunction(translate) else translate(request)

    engine._async = {**engine._async, "translate_request": translate_request}
