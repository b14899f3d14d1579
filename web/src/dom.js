// Small DOM helpers: elements are built with text nodes only, never from HTML strings.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const URL_PATTERN = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

// A link's visible name: the site and page ("aimh.org/endorsement") rather than the whole address.
export function linkName(url) {
  try {
    const { hostname, pathname } = new URL(url);
    const page = pathname.replace(/\/+$/, "");
    return hostname.replace(/^www\./, "") + (page.length > 40 ? page.slice(0, 39) + "…" : page);
  } catch {
    return url;
  }
}

export function sourceLink(url, label) {
  return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label || linkName(url),
    el("span", { class: "iecmh-visually-hidden" }, " (opens in a new tab)"));
}

// Text with every web address turned into a link; line breaks are kept by the stylesheet (white-space: pre-line).
export function linkedText(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    parts.push(text.slice(last, match.index), sourceLink(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== "");
}
