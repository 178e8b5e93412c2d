// A submitted import shows that it is being worked on: a large file takes a
// while to upload and check, and the page would otherwise look dead until
// the report comes. The server gives no progress of its own, so the bar is
// indeterminate and a clock counts the time.
"use strict";
document.querySelectorAll("form[data-working]").forEach((form) => {
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (sent) {
      event.preventDefault();
      return;
    }
    sent = true;
    const box = form.querySelector(".working");
    const input = form.querySelector('input[type="file"]');
    if (input && input.files.length) {
      const file = input.files[0];
      const megabytes = file.size / 1e6;
      box.querySelector(".working-file").textContent =
        `${file.name} (${megabytes < 0.1 ? "< 0.1" : megabytes.toFixed(1)} MB)`;
    }
    form.querySelector('button[type="submit"]').setAttribute("aria-disabled", "true");
    box.hidden = false;
    const clock = box.querySelector(".working-time");
    const started = Date.now();
    setInterval(() => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      clock.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    }, 1000);
  });
});
