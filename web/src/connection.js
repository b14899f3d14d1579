// The conversation with the assistant over Rasa's socket.io channel (session_persistence: the page asks for its
// session with an id kept in the browser, so a reload or a reconnection continues the same conversation).
import { io } from "socket.io-client";

const SESSION_KEY = "iecmh-chat-session";

export function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// localStorage when the browser allows it, else memory (the conversation then lasts as long as the page).
export function browserStorage() {
  try {
    const probe = "iecmh-probe";
    window.localStorage.setItem(probe, probe);
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const memory = new Map();
    return {
      getItem: (key) => (memory.has(key) ? memory.get(key) : null),
      setItem: (key, value) => memory.set(key, String(value)),
      removeItem: (key) => memory.delete(key),
    };
  }
}

export class Conversation extends EventTarget {
  constructor(serverUrl, { storage = browserStorage(), sessionKey = SESSION_KEY } = {}) {
    super();
    this.serverUrl = serverUrl;
    this.storage = storage;
    this.sessionKey = sessionKey;
    this.sessionId = storage.getItem(sessionKey) || this.newSessionId();
    this.ready = false;
    this.waiting = []; // messages written while the assistant could not be reached, sent once it can
  }

  newSessionId() {
    const id = randomId();
    this.storage.setItem(this.sessionKey, id);
    this.sessionId = id;
    return id;
  }

  start() {
    this.setState("connecting");
    this.socket = io(this.serverUrl, {
      transports: ["polling"], // the server's WebSocket transport does not work with Rasa 3.6's Sanic
      upgrade: false,
      reconnectionDelayMax: 8000,
      timeout: 8000,
    });
    this.socket.on("connect", () => this.socket.emit("session_request", { session_id: this.sessionId }));
    this.socket.on("session_confirm", () => {
      this.ready = true;
      performance.mark("iecmh-ready");
      this.setState("online");
      for (const message of this.waiting.splice(0)) this.emitMessage(message);
    });
    this.socket.on("bot_uttered", (reply) => this.dispatchEvent(new CustomEvent("reply", { detail: reply })));
    this.socket.on("disconnect", () => {
      this.ready = false;
      this.setState("offline");
    });
    this.socket.on("connect_error", () => this.setState("unreachable"));
    return this;
  }

  // Sends a message now, or as soon as the assistant can be reached; true when it went out at once.
  send(message) {
    if (this.ready) {
      this.emitMessage(message);
      return true;
    }
    this.waiting.push(message);
    return false;
  }

  emitMessage(message) {
    this.socket.emit("user_uttered", { message, session_id: this.sessionId });
    this.dispatchEvent(new CustomEvent("sent", { detail: message }));
  }

  // A new, empty conversation: a new id, asked for at once.
  restart() {
    this.waiting = [];
    this.newSessionId();
    if (this.socket && this.socket.connected) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: this.sessionId });
    }
  }

  setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: state }));
  }
}
