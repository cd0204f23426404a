// Live countdowns: <span data-countdown-until="ISO-8601" data-countdown-done="text">fallback</span>
// shows the time left as "X天 Y小时 Z分" / "Xd Yh Zm" (language from <html lang>), refreshed every 30 s.
(function () {
  const zh = document.documentElement.lang.startsWith("zh");
  function format(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    const parts = zh
      ? [d && `${d}天`, (d || h) && `${h}小时`, `${m}分`]
      : [d && `${d}d`, (d || h) && `${h}h`, `${m}m`];
    return parts.filter(Boolean).join(zh ? "" : " ");
  }
  function tick() {
    document.querySelectorAll("[data-countdown-until]").forEach((el) => {
      const left = new Date(el.dataset.countdownUntil).getTime() - Date.now();
      el.textContent = left > 0 ? format(left) : (el.dataset.countdownDone || "");
    });
  }
  tick();
  setInterval(tick, 30000);
})();
