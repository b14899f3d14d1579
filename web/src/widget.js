// The chat for any page, with one script tag:
//   <script src="https://assistant.example.org/chat.js" data-server-url="https://assistant.example.org:5005"></script>
// data-target="#element" puts the chat inside that element; without it a "Chat" button opens it in a corner panel.
import { Conversation } from "./connection.js";
import { Chat } from "./chat.js";
import { el } from "./dom.js";

const INTRO = "Hi! Ask me about IECMH Endorsement: categories, requirements, reflective supervision, the exam, " +
  "fees, or tell me your background and I'll check which category fits.";

function addStylesheet(script) {
  const href = new URL("chat.css", script.src).href;
  if (![...document.styleSheets].some((sheet) => sheet.href === href)) {
    document.head.append(el("link", { rel: "stylesheet", href }));
  }
}

function floatingPanel(title) {
  const panel = el("div", { id: "iecmh-chat-panel", class: "iecmh-panel", hidden: true });
  const close = () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  };
  const launcher = el("button", { type: "button", class: "iecmh-launcher", "aria-expanded": "false",
    "aria-controls": panel.id, onclick: () => {
      if (!panel.hidden) return close();
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      panel.querySelector("textarea").focus();
    } }, title);
  panel.append(el("button", { type: "button", class: "iecmh-close", onclick: close }, "Close chat"));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  document.body.append(el("div", { class: "iecmh-embed" }, launcher, panel));
  return panel;
}

function mount(script) {
  const serverUrl = script.dataset.serverUrl;
  const title = script.dataset.title || "Ask about IECMH Endorsement";
  if (!script.dataset.target) addStylesheet(script);
  const target = script.dataset.target ? document.querySelector(script.dataset.target) : floatingPanel(title);
  const conversation = new Conversation(serverUrl);
  const chat = new Chat(target, conversation, { title, intro: INTRO });
  conversation.start();
  window.iecmhChat = chat;
  return chat;
}

const script = document.currentScript;
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mount(script));
else mount(script);
