// Mizzen's own script (no framework): what the interactive pages need from the browser beyond Blazor.
window.mizzen = {
  // Puts the caret at the start of a 1-based line of a textarea and scrolls it into view.
  jumpToLine(id, line) {
    const area = document.getElementById(id);
    if (!area) return;
    const lines = area.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
    const height = area.scrollHeight / Math.max(1, lines.length);
    area.scrollTop = Math.max(0, (line - 4) * height);
  },
  // Keeps a live log scrolled to its bottom as lines arrive, unless the reader scrolled up (scrolling back down follows again).
  followLog(id) {
    const log = document.getElementById(id);
    if (!log || log.dataset.following) return;
    log.dataset.following = "true";
    let atBottom = true;
    log.scrollTop = log.scrollHeight;
    log.addEventListener("scroll", () => { atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8; });
    new MutationObserver(() => { if (atBottom) log.scrollTop = log.scrollHeight; })
      .observe(log, { childList: true, characterData: true, subtree: true });
  },
};
