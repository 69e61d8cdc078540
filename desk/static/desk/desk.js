// Ask before destructive desk actions; forms marked data-confirm carry the question.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Text boxes grow with what is typed, so nothing is cut off or hidden behind a scroll bar.
function growToFit(textarea) {
  // A box inside a closed <details> has no height yet; it grows when it is shown.
  if (!textarea.offsetParent) return;
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

// A formatted view of the Markdown, on demand. It builds DOM nodes, never HTML strings, so
// whatever is typed stays text. It covers the inline Markdown statements use; the saved page
// is rendered on the server by the same renderer as the public page.
const INLINE = /(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/;

function renderInline(text, parent) {
  for (const part of text.split(INLINE)) {
    if (!part) continue;
    let node;
    if (/^(\*\*|__).+\1$/.test(part)) {
      node = document.createElement("strong");
      renderInline(part.slice(2, -2), node);
    } else if (/^[*_].+[*_]$/.test(part) && part[0] === part[part.length - 1]) {
      node = document.createElement("em");
      renderInline(part.slice(1, -1), node);
    } else if (/^`.+`$/.test(part)) {
      node = document.createElement("code");
      node.textContent = part.slice(1, -1);
    } else if (/^\[.+\]\(.+\)$/.test(part)) {
      const [, label, href] = part.match(/^\[(.+)\]\((.+)\)$/);
      if (/^(https?:|mailto:)/i.test(href)) {
        node = document.createElement("a");
        node.href = href;
        node.rel = "noopener nofollow";
        node.textContent = label;
      } else {
        node = document.createTextNode(label);
      }
    } else {
      node = document.createTextNode(part);
    }
    parent.append(node);
  }
}

function renderMarkdown(text, target) {
  target.replaceChildren();
  for (const block of text.split(/\n\s*\n/)) {
    if (!block.trim()) continue;
    const paragraph = document.createElement("p");
    renderInline(block.replace(/\s*\n\s*/g, " "), paragraph);
    target.append(paragraph);
  }
  if (!target.childElementCount) {
    const empty = document.createElement("p");
    empty.className = "text-body-secondary";
    empty.textContent = "Nothing written yet.";
    target.append(empty);
  }
}

function addPreview(textarea) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-link btn-sm p-0 markdown-toggle";
  button.textContent = "Show formatted";
  button.setAttribute("aria-expanded", "false");
  const preview = document.createElement("div");
  preview.className = "markdown-preview";
  preview.id = `${textarea.id}-formatted`;
  preview.hidden = true;
  preview.setAttribute("aria-live", "polite");
  preview.setAttribute("aria-label", "Formatted preview");
  button.setAttribute("aria-controls", preview.id);
  button.addEventListener("click", () => {
    preview.hidden = !preview.hidden;
    button.setAttribute("aria-expanded", String(!preview.hidden));
    button.textContent = preview.hidden ? "Show formatted" : "Hide formatted";
    if (!preview.hidden) renderMarkdown(textarea.value, preview);
  });
  textarea.addEventListener("input", () => {
    if (!preview.hidden) renderMarkdown(textarea.value, preview);
  });
  textarea.after(button, preview);
}

for (const textarea of document.querySelectorAll(".desk textarea")) {
  growToFit(textarea);
  textarea.addEventListener("input", () => growToFit(textarea));
  textarea.addEventListener("focus", () => growToFit(textarea));
  textarea.closest("details")?.addEventListener("toggle", () => growToFit(textarea));
  if (/^(text|summary|variant_)/.test(textarea.name) && textarea.id) addPreview(textarea);
}
