// Entry point: wires the three views (Chat, Briefing, Sources) and the source panel together.
// Views are switched by the URL hash (#chat, #briefing, #sources) so Back and links work.

import { initBriefing } from "./briefing.js";
import { focusChat, initChat } from "./chat.js";
import { closeSource, initDocview } from "./docview.js";
import { initSources, showSources } from "./sources.js";

const VIEWS = ["chat", "briefing", "sources"];

function route() {
  const name = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "chat";
  for (const view of VIEWS) {
    document.getElementById(`view-${view}`).hidden = view !== name;
  }
  for (const tab of document.querySelectorAll(".tabs a")) {
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (name === "sources") showSources();
  return name;
}

initDocview();
initChat();
initBriefing();
initSources();

window.addEventListener("hashchange", () => {
  const name = route();
  closeSource();
  // Move focus to the new view's heading so keyboard and screen-reader users land in it.
  if (name === "chat") focusChat();
  else document.getElementById(`${name}-heading`).focus();
});
if (route() === "chat") focusChat();
