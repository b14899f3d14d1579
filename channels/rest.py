"""The REST channel, with a clear reply when a turn produced no answer (for example the action server is down)."""
from typing import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

NO_ANSWER = ("Sorry, I couldn't look that up just now: part of the assistant is not responding. Please send your "
             "message again in a minute; nothing you told me is lost.")


class ResilientRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def answer_or_apologise(message: UserMessage) -> None:
            await on_new_message(message)
            channel = message.output_channel
            if isinstance(channel, CollectingOutputChannel) and isinstance(channel.messages, list) \
                    and not channel.messages:
                await channel.send_text_message(message.sender_id, NO_ANSWER)

        return super().blueprint(answer_or_apologise)
