// The chat: conversation log (an aria-live region), quick replies, composer, typing and connection status.
import { el, linkedText } from "./dom.js";
import { renderChecklist } from "./checklist.js";

const HISTORY_LIMIT = 200;
const NO_REPLY_SECONDS = 45;
const STATE_TEXT = {
  connecting: "Connecting to the assistant…",
  online: "",
  offline: "The connection to the assistant was lost. Trying again… Messages you send now will go out when it is back.",
  unreachable: "The assistant can't be reached right now. Trying again… Messages you send now will go out when it is back.",
};

let chatCount = 0;

export class Chat extends EventTarget {
  constructor(root, conversation, { title = "Ask about IECMH Endorsement", intro = "", checklistsInline = true } = {}) {
    super();
    this.conversation = conversation;
    const id = `iecmh-chat-${++chatCount}`;
    this.status = el("p", { class: "iecmh-connection", role: "status", "aria-live": "polite" });
    this.log = el("div", { class: "iecmh-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0" });
    this.typing = el("p", { class: "iecmh-typing", role: "status", hidden: true },
      el("span", { class: "iecmh-dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")),
      " The assistant is writing…");
    this.quickReplies = el("div", { class: "iecmh-quick-replies", role: "group", "aria-label": "Suggested replies" });
    this.input = el("textarea", { id: `${id}-input`, class: "iecmh-input", rows: "1", maxlength: "2000",
      autocomplete: "off", placeholder: "Type a message…",
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.form.requestSubmit();
        }
      } });
    this.form = el("form", { class: "iecmh-composer", onsubmit: (event) => {
      event.preventDefault();
      this.submit();
    } },
      el("label", { for: this.input.id, class: "iecmh-visually-hidden" }, "Your message"),
      this.input,
      el("button", { type: "submit", class: "iecmh-send" }, "Send"));
    this.root = el("section", { class: "iecmh-chat", "aria-labelledby": `${id}-title` },
      el("h2", { id: `${id}-title`, class: "iecmh-chat-title" }, title),
      this.status, this.log, this.typing, this.quickReplies, this.form);
    root.append(this.root);
    this.intro = intro;
    this.checklistsInline = checklistsInline;
    this.history = this.loadHistory();
    for (const entry of this.history) this.render(entry);
    if (!this.history.length && intro) this.render({ from: "bot", text: intro });
    this.showQuickReplies(this.history.at(-1)?.quick_replies || []);
    conversation.addEventListener("reply", (event) => this.receive(event.detail));
    conversation.addEventListener("state", (event) => this.showState(event.detail));
    this.showState(conversation.state || "connecting");
  }

  historyKey() {
    return `iecmh-chat-history-${this.conversation.sessionId}`;
  }

  loadHistory() {
    try {
      return JSON.parse(this.conversation.storage.getItem(this.historyKey()) || "[]");
    } catch {
      return [];
    }
  }

  remember(entry) {
    this.history.push(entry);
    this.history = this.history.slice(-HISTORY_LIMIT);
    try {
      this.conversation.storage.setItem(this.historyKey(), JSON.stringify(this.history));
    } catch {
      // storage full: the conversation goes on, only the older history is not kept
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) {
      this.input.focus();
      return;
    }
    this.say(text);
    this.input.value = "";
    this.input.focus();
  }

  // Sends a message (typed, a quick reply's payload, or composed by the advisor view) and shows `shown`.
  say(message, shown = message) {
    performance.mark("iecmh-sent");
    const sentNow = this.conversation.send(message);
    const entry = { from: "user", text: shown };
    this.remember(entry);
    this.render(entry, sentNow ? "" : "will be sent when the assistant is reachable");
    this.showQuickReplies([]);
    this.waitForReply();
  }

  waitForReply() {
    this.typing.hidden = false;
    clearTimeout(this.noReplyTimer);
    this.noReplyTimer = setTimeout(() => {
      this.typing.hidden = true;
      if (this.conversation.state === "online") {
        this.render({ from: "notice", text: "No answer yet. The assistant may be busy; please try again in a moment." });
      }
    }, NO_REPLY_SECONDS * 1000);
  }

  receive(reply) {
    clearTimeout(this.noReplyTimer);
    this.typing.hidden = true;
    const entry = { from: "bot", text: reply.text || "", quick_replies: reply.quick_replies || [],
      check: reply.custom && reply.custom.qualification_check };
    if (!entry.text && !entry.check) return;
    this.remember(entry);
    this.render(entry);
    performance.mark("iecmh-answer");
    this.showQuickReplies(entry.quick_replies);
    if (entry.check) this.dispatchEvent(new CustomEvent("check", { detail: entry.check }));
  }

  render(entry, note = "") {
    const speaker = { user: "You", bot: "Assistant", notice: "Notice" }[entry.from];
    const message = el("div", { class: `iecmh-message iecmh-from-${entry.from}` },
      el("span", { class: "iecmh-visually-hidden" }, `${speaker}: `));
    if (entry.text) message.append(el("p", { class: "iecmh-text" }, linkedText(entry.text)));
    if (entry.check && this.checklistsInline) message.append(renderChecklist(entry.check, { heading: "h3" }));
    else if (entry.check) message.append(el("p", { class: "iecmh-note" }, "The checklist is shown beside the conversation."));
    if (note) message.append(el("p", { class: "iecmh-note" }, note));
    this.log.append(message);
    this.log.scrollTop = this.log.scrollHeight;
  }

  showQuickReplies(replies) {
    this.quickReplies.replaceChildren(...replies.map((reply) => el("button", {
      type: "button", class: "iecmh-quick-reply",
      onclick: () => {
        this.say(reply.payload, reply.title);
        this.input.focus();
      },
    }, reply.title)));
    this.quickReplies.hidden = !replies.length;
  }

  showState(state) {
    this.status.textContent = STATE_TEXT[state] || "";
    this.status.hidden = !this.status.textContent;
    this.root.dataset.state = state;
    if (state !== "online") this.typing.hidden = true;
  }

  // Clears the conversation: a new session on the server, an empty log here.
  clear() {
    try {
      this.conversation.storage.removeItem(this.historyKey());
    } catch {
      // nothing was stored
    }
    this.conversation.restart();
    this.history = [];
    this.log.replaceChildren();
    this.showQuickReplies([]);
    if (this.intro) this.render({ from: "bot", text: this.intro });
  }
}
