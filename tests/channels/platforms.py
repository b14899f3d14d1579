"""Local stand-ins for the Slack, Telegram, Messenger and Twilio APIs on loopback: each records what the assistant
sends and answers the way the platform does; plus the webhook payloads and signatures each platform sends."""
import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List
from urllib.parse import parse_qs, quote, urlencode, urlparse

SECRETS = {"slack": "slack-signing-secret-for-tests", "telegram": "telegram-secret-token-for-tests",
           "facebook": "messenger-app-secret-for-tests", "twilio": "twilio-auth-token-for-tests"}
TELEGRAM_TOKEN = "123456789:AAtest-token-for-the-local-telegram"
TELEGRAM_BOT_NAME = "iecmh_test_bot"
TWILIO_ACCOUNT = "AC" + "0" * 32
SMS_NUMBER = "+15550001111"
WHATSAPP_NUMBER = "whatsapp:+15550002222"
TAP_ID = "4382bfdwdsb323b2d9"


@dataclass
class Sent:
    platform: str
    method: str
    body: Dict
    path: str


class Platforms:
    """Records every API call; `sent` lists them in arrival order."""

    def __init__(self, port: int):
        self.port = port
        self.sent: List[Sent] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self.handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, platform: str) -> str:
        return f"http://127.0.0.1:{self.port}/{platform}" + ("/api/" if platform == "slack" else "")

    def start(self) -> "Platforms":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def messages(self, platform: str, recipient: str) -> List[Sent]:
        """The messages (not typing indicators or set-up calls) sent to one user."""
        with self.lock:
            return [s for s in self.sent if s.platform == platform and recipient_of(s) == recipient
                    and s.method in MESSAGE_METHODS[platform] and not s.body.get("sender_action")]

    def wait_for(self, platform: str, recipient: str, count: int = 1, timeout: float = 60,
                 settle: float = 1.5) -> List[Sent]:
        """The messages sent to `recipient`, once at least `count` came and no more arrived for `settle` seconds."""
        deadline = time.time() + timeout
        seen, last_change = 0, time.time()
        while time.time() < deadline:
            messages = self.messages(platform, recipient)
            if len(messages) != seen:
                seen, last_change = len(messages), time.time()
            if seen >= count and time.time() - last_change >= settle:
                return messages
            time.sleep(0.1)
        return self.messages(platform, recipient)

    def handler(self):
        platforms = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                url = urlparse(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                body = json.loads(raw or b"{}") if "json" in kind else \
                    {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
                parts = url.path.strip("/").split("/")
                platform, method = parts[0], parts[-1]
                with platforms.lock:
                    platforms.sent.append(Sent(platform, method, body, url.path))
                status, answer = REPLIES[platform](method, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        return Handler


def recipient_of(sent: Sent) -> str:
    body = sent.body
    if sent.platform == "facebook":
        return str((body.get("recipient") or {}).get("id"))
    return str(body.get("channel") or body.get("chat_id") or body.get("To") or "")


MESSAGE_METHODS = {"slack": {"chat.postMessage"}, "telegram": {"sendMessage"}, "facebook": {"messages"},
                   "twilio": {"Messages.json"}}


def slack_reply(method: str, body: Dict):
    return 200, {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}"}


def telegram_reply(method: str, body: Dict):
    bot = {"id": 123456789, "is_bot": True, "first_name": "IECMH guide", "username": TELEGRAM_BOT_NAME}
    if method == "getMe":
        return 200, {"ok": True, "result": bot}
    if method == "sendMessage":
        return 200, {"ok": True, "result": {"message_id": int(time.time() * 1000) % 10 ** 9, "date": int(time.time()),
                                            "chat": {"id": int(body["chat_id"]), "type": "private"},
                                            "from": bot, "text": body.get("text")}}
    return 200, {"ok": True, "result": True}


def facebook_reply(method: str, body: Dict):
    return 200, {"recipient_id": (body.get("recipient") or {}).get("id"), "message_id": f"m_{time.time()}"}


def twilio_reply(method: str, body: Dict):
    return 201, {"sid": "SM" + "1" * 32, "account_sid": TWILIO_ACCOUNT, "to": body.get("To"),
                 "from": body.get("From"), "body": body.get("Body"), "status": "queued", "num_segments": "1",
                 "direction": "outbound-api", "api_version": "2010-04-01"}


REPLIES: Dict[str, Callable] = {"slack": slack_reply, "telegram": telegram_reply, "facebook": facebook_reply,
                                "twilio": twilio_reply}


def text_of(sent: Sent) -> str:
    body = sent.body
    if sent.platform == "facebook":
        return body["message"].get("text", "")
    return body.get("text") or body.get("Body") or ""


# What each platform posts to the webhook, signed the way it signs.

def slack_event(text: str, user: str, secret: str = SECRETS["slack"]):
    body = json.dumps({"token": "verification-token", "team_id": "T0TEAM", "api_app_id": "A0APP",
                       "type": "event_callback", "event_id": f"Ev{int(time.time() * 1000)}",
                       "event_time": int(time.time()), "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
                       "event": {"type": "message", "channel": "D0" + user, "channel_type": "im", "user": user,
                                 "text": text, "ts": f"{time.time():.6f}"}}).encode()
    return body, {"Content-Type": "application/json", **slack_signature(body, secret)}


def slack_button_click(value: str, user: str, secret: str = SECRETS["slack"]):
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": "D0" + user},
               "message": {"ts": f"{time.time():.6f}"}, "trigger_id": "1.2.3",
               "actions": [{"type": "button", "action_id": "a1", "block_id": "b1", "value": value,
                            "text": {"type": "plain_text", "text": "option"}}]}
    body = ("payload=" + quote(json.dumps(payload))).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded", **slack_signature(body, secret)}


def slack_signature(body: bytes, secret: str) -> Dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def telegram_update(text: str, chat_id: int, secret: str = SECRETS["telegram"], callback: bool = False):
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    message = {"message_id": int(time.time()) % 100000, "date": int(time.time()), "from": user,
               "chat": {"id": chat_id, "type": "private", "first_name": "Sam"}}
    update = {"update_id": int(time.time() * 1000) % 10 ** 9}
    if callback:
        update["callback_query"] = {"id": TAP_ID, "from": user, "chat_instance": "-1",
                                    "message": {**message, "text": "earlier answer"}, "data": text}
    else:
        update["message"] = {**message, "text": text}
    return json.dumps(update).encode(), {"Content-Type": "application/json",
                                         "X-Telegram-Bot-Api-Secret-Token": secret}


def messenger_event(text: str, psid: str, secret: str = SECRETS["facebook"], quick_reply: str = ""):
    message = {"mid": f"m_{time.time()}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    body = json.dumps({"object": "page", "entry": [{"id": "PAGE1", "time": int(time.time() * 1000), "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "PAGE1"}, "timestamp": int(time.time() * 1000),
         "message": message}]}]}).encode()
    return body, {"Content-Type": "application/json",
                  "X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest(),
                  "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def twilio_message(text: str, sender: str, url: str, secret: str = SECRETS["twilio"]):
    to = WHATSAPP_NUMBER if sender.startswith("whatsapp:") else SMS_NUMBER
    form = {"ToCountry": "US", "SmsMessageSid": "SM" + "2" * 32, "NumMedia": "0", "SmsSid": "SM" + "2" * 32,
            "SmsStatus": "received", "Body": text, "To": to, "NumSegments": "1", "MessageSid": "SM" + "2" * 32,
            "AccountSid": TWILIO_ACCOUNT, "From": sender, "ApiVersion": "2010-04-01"}
    if sender.startswith("whatsapp:"):
        form.update({"ProfileName": "Sam", "WaId": sender.split("+")[-1]})
    signed = url + "".join(key + form[key] for key in sorted(form))
    signature = base64.b64encode(hmac.new(secret.encode(), signed.encode(), hashlib.sha1).digest()).decode()
    return urlencode(form).encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                      "X-Twilio-Signature": signature}
