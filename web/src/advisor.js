// The advisor view: a background form beside the conversation. "Check" sends the background as one message over
// the same socket.io conversation, the what-if toggles ask the assistant's what-if question (the stated background
// is not changed), and the checklist of every category of the age band is shown beside, to print or download.
import { Conversation } from "./connection.js";
import { Chat } from "./chat.js";
import { DEGREE_NAMES, planMarkdown, renderChecklist } from "./checklist.js";

const BANDS = { infant: "infants and toddlers under 3", early_childhood: "children 3 to 6" };
const INTRO = "Fill in the student's background and press Check, or ask me anything here.";

const page = document.getElementById("advisor");
const form = document.getElementById("background");
const results = document.getElementById("results");
const resultsState = document.getElementById("results-state");
const toggles = [...form.querySelectorAll(".what-if input")];
const downloadButton = document.getElementById("download");
const printButton = document.getElementById("print");

const conversation = new Conversation(page.dataset.serverUrl, { sessionKey: "iecmh-advisor-session" });
const chat = new Chat(document.getElementById("conversation"), conversation,
  { title: "Conversation", intro: INTRO, checklistsInline: false });
conversation.start();

let stated = null; // the checklist for the background as stated
let shown = null; // the checklist on screen (stated, or a what-if)
let whatIfText = "";
let whatIfsPending = 0; // what-if questions sent and not answered yet: their checklists are not the stated one

function value(name) {
  return form.elements[name].value.trim();
}

function number(name) {
  const text = value(name);
  return text === "" ? null : Number(text);
}

// The background in the words the assistant reads, one fact per sentence.
function backgroundFacts() {
  const facts = [`I work with ${BANDS[value("age_band")]}.`];
  const field = value("field");
  const degree = value("degree");
  facts.push(`I have ${DEGREE_NAMES[degree]}${field && !["none", "high_school", "cda"].includes(degree) ? ` in ${field}` : ""}.`);
  if (number("years") !== null) facts.push(`I have ${number("years")} years of paid work with young children and families.`);
  if (number("families") !== null) facts.push(`I have served ${number("families")} families.`);
  if (number("training") !== null) facts.push(`I have ${number("training")} hours of training.`);
  if (number("rsc") !== null) {
    const provider = value("rsc_provider");
    facts.push(`I have received ${number("rsc")} hours of reflective supervision${provider ? ` from ${provider}` : ""}.`);
  }
  const role = value("role");
  if (role === "none") facts.push("I don't give reflective supervision, lead a program or teach.");
  else facts.push(`${role}${number("role_years") !== null ? ` for ${number("role_years")} years` : ""}.`);
  return facts;
}

function show(check, label) {
  shown = check;
  results.replaceChildren(renderChecklist(check, { all: true, heading: "h3", title: label }));
  downloadButton.disabled = printButton.disabled = false;
}

function sayAfterReply(message) {
  conversation.addEventListener("reply", () => chat.say(message), { once: true });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const message = backgroundFacts().join(" ") + " Which category fits?";
  toggles.forEach((toggle) => { toggle.checked = false; });
  whatIfText = "";
  resultsState.className = "results-state";
  resultsState.textContent = "Checking…";
  if (stated) {
    chat.say("/start_over", "Start over");
    sayAfterReply(message);
  } else {
    chat.say(message);
  }
});

for (const toggle of toggles) {
  toggle.addEventListener("change", () => {
    const active = toggles.filter((t) => t.checked);
    if (!active.length) {
      whatIfText = "";
      resultsState.className = "results-state";
      resultsState.textContent = "The background as stated.";
      if (stated) show(stated, "Checklist for the background as stated");
      return;
    }
    whatIfText = "What if: " + active.map((t) => t.closest("label").textContent.trim()).join(" and ") +
      " (the background as stated is unchanged)";
    whatIfsPending += 1;
    resultsState.className = "results-state what-if-active";
    resultsState.textContent = "Re-checking: " + whatIfText + "…";
    chat.say(`what if I ${active.map((t) => t.value).join(" and ")}?`);
  });
}

chat.addEventListener("check", (event) => {
  const check = event.detail;
  if (whatIfsPending > 0) {
    whatIfsPending -= 1;
    if (whatIfsPending === 0 && whatIfText) { // only the answer to the latest what-if, while one is chosen
      resultsState.textContent = whatIfText + ".";
      show(check, "Checklist with the what-if");
    }
  } else {
    stated = check;
    resultsState.className = "results-state";
    resultsState.textContent = "The background as stated.";
    show(check, "Checklist for the background as stated");
    toggles.forEach((toggle) => { toggle.disabled = false; });
  }
});

document.getElementById("new-student").addEventListener("click", () => {
  chat.clear();
  form.reset();
  stated = shown = null;
  whatIfText = "";
  whatIfsPending = 0;
  toggles.forEach((toggle) => { toggle.checked = false; toggle.disabled = true; });
  results.replaceChildren();
  resultsState.className = "results-state";
  resultsState.textContent = "Cleared. Fill in the background and press Check.";
  downloadButton.disabled = printButton.disabled = true;
  form.elements.age_band.focus();
});

downloadButton.addEventListener("click", () => {
  if (!shown) return;
  const text = planMarkdown(shown, { background: backgroundFacts(), whatIf: whatIfText });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/markdown" }));
  link.download = "iecmh-endorsement-plan.md";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});

printButton.addEventListener("click", () => window.print());

// After a reload: the conversation's history is shown again, and with it its last checklist.
const last = [...chat.history].reverse().find((entry) => entry.check);
if (last) {
  stated = last.check;
  show(stated, "Checklist for the background as stated");
  resultsState.textContent = "The last check in this conversation.";
  toggles.forEach((toggle) => { toggle.disabled = false; });
}
