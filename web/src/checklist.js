// The qualification check (custom.qualification_check, built by actions/qualification/summary.py) as a checklist,
// a plan, and a plain-text plan to download.
import { el, sourceLink } from "./dom.js";

const STATUS = {
  met: { label: "Met", mark: "✓" },
  "not met": { label: "Not met", mark: "✗" },
  unknown: { label: "Not known yet", mark: "?" },
};

function status(value) {
  const known = STATUS[value] || STATUS.unknown;
  return el("span", { class: `iecmh-status-badge iecmh-${(value || "unknown").replace(" ", "-")}` },
    el("span", { "aria-hidden": "true" }, known.mark + " "), known.label);
}

export const DEGREE_NAMES = {
  none: "no degree", high_school: "a high school diploma", cda: "a CDA", associate: "an associate's degree",
  bachelor: "a bachelor's degree", master: "a master's degree", doctorate: "a doctorate",
};

function amount(value, unit) {
  if (value === null || value === undefined || value === "") return "not said";
  if (unit === "degree" && DEGREE_NAMES[value]) return DEGREE_NAMES[value];
  if (value === true) return "yes";
  if (value === false) return "no";
  return unit && typeof value === "number" ? `${value} ${unit}` : String(value).replaceAll("_", " ");
}

function requirementItem(line) {
  return el("li", { class: "iecmh-requirement" },
    status(line.status), " ",
    el("span", { class: "iecmh-requirement-name" }, line.requirement),
    line.need !== null && line.need !== undefined && line.need !== true
      ? el("span", { class: "iecmh-have-need" }, `have ${amount(line.have, line.unit)}; need ${amount(line.need, line.unit)}`)
      : null,
    line.status !== "met" ? el("span", { class: "iecmh-line-text" }, line.text) : null,
    line.rule ? el("span", { class: "iecmh-rule" }, line.rule) : null,
    line.source ? el("span", { class: "iecmh-source" }, "Source: ", sourceLink(line.source)) : null);
}

export function roleOf(check, code) {
  if (code === check.best_fit) return "best fit";
  if (code === check.confirm) return "may also meet";
  if (code === check.next_within_reach) return "next within reach";
  return "";
}

function categoryBlock(check, category, open) {
  const role = roleOf(check, category.code);
  const details = el("details", { class: "iecmh-category", open },
    el("summary", {},
      el("span", { class: "iecmh-category-name" }, `${category.name} (${category.code})`), " ",
      status(category.status),
      role ? el("span", { class: "iecmh-role" }, role) : null),
    el("ul", { class: "iecmh-requirements" }, category.requirements.map(requirementItem)));
  return details;
}

function nameOf(check, code) {
  const category = check.categories.find((c) => c.code === code);
  return category ? `${category.name} (${code})` : code;
}

function summaryList(check) {
  const rows = [
    ["Best fit now", check.best_fit ? nameOf(check, check.best_fit) : "no category fully met yet"],
    check.confirm ? ["May also meet", nameOf(check, check.confirm)] : null,
    check.next_within_reach ? ["Next within reach", nameOf(check, check.next_within_reach)] : null,
  ].filter(Boolean);
  return el("dl", { class: "iecmh-summary" }, rows.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

export function planList(check) {
  if (!check.plan.length) return el("p", { class: "iecmh-plan-empty" }, "No next steps to list from this check.");
  return el("ol", { class: "iecmh-plan" }, check.plan.map((step) =>
    el("li", {}, `${step.category}: ${step.text}`, step.months ? ` (about ${step.months} months)` : "")));
}

// The checklist: the summary, the categories (those the verdict names open; `all` opens every one), the plan.
export function renderChecklist(check, { all = false, heading = "h3", title = "Your checklist" } = {}) {
  const named = new Set([check.best_fit, check.confirm, check.next_within_reach].filter(Boolean));
  return el("section", { class: "iecmh-checklist", "aria-label": title },
    el(heading, {}, title),
    summaryList(check),
    el("div", { class: "iecmh-categories" },
      check.categories.map((category) => categoryBlock(check, category, all || named.has(category.code)))),
    el(heading, {}, "Plan"),
    planList(check));
}

// The check as a Markdown file an advisor can keep or send.
export function planMarkdown(check, { background = [], whatIf = "" } = {}) {
  const lines = ["# IECMH Endorsement plan", ""];
  if (background.length) lines.push("## Background", "", ...background.map((item) => `- ${item}`), "");
  if (whatIf) lines.push(`_${whatIf}_`, "");
  lines.push("## Summary", "", `- Best fit now: ${check.best_fit ? nameOf(check, check.best_fit) : "none yet"}`);
  if (check.confirm) lines.push(`- May also meet: ${nameOf(check, check.confirm)}`);
  if (check.next_within_reach) lines.push(`- Next within reach: ${nameOf(check, check.next_within_reach)}`);
  lines.push("", "## Plan", "");
  if (check.plan.length) {
    check.plan.forEach((step, index) =>
      lines.push(`${index + 1}. ${step.category}: ${step.text}${step.months ? ` (about ${step.months} months)` : ""}`));
  } else {
    lines.push("No next steps to list from this check.");
  }
  lines.push("", "## Checklist");
  for (const category of check.categories) {
    lines.push("", `### ${category.name} (${category.code}): ${STATUS[category.status]?.label || category.status}`, "");
    for (const line of category.requirements) {
      lines.push(`- ${STATUS[line.status]?.label || line.status}: ${line.text}` +
        (line.source ? ` ([source](${line.source}))` : ""));
    }
  }
  return lines.join("\n") + "\n";
}
