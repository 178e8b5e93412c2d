// A submitted import shows how far it has come: the browser tells how much
// of the file is sent, and the server, asked twice a second, which stage its
// check or write is at (server/support/work_progress.py). The answer then
// takes the page's place, as a plain form post would; without scripts the
// form posts as usual and the page waits.
"use strict";

function workId() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

function showStages(list, passed, current) {
  list.replaceChildren(...passed.map((label) => {
    const item = document.createElement("li");
    item.className = "passed";
    item.textContent = label;
    return item;
  }));
  if (current) {
    const item = document.createElement("li");
    item.textContent = current;
    list.append(item);
  }
}

document.querySelectorAll("form[data-working]").forEach((form) => {
  let sent = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sent) return;
    sent = true;
    const box = form.querySelector(".working");
    const bar = box.querySelector("progress");
    const stages = box.querySelector(".working-stages");
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
    const ticking = setInterval(() => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      clock.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    }, 1000);

    const id = workId();
    const measure = (done, total) => {
      if (total > 0) {
        bar.max = total;
        bar.value = Math.min(done, total);
      } else {
        bar.removeAttribute("value");
      }
    };
    let asking = null;
    const ask = async () => {
      try {
        const answer = await fetch(form.dataset.progress.replace("WORK_ID", id));
        if (!answer.ok) return;
        const now = await answer.json();
        if (now.stage === "done") {
          // The answer is on its way: every stage is behind it.
          clearInterval(asking);
          showStages(stages, now.passed, "");
          measure(1, 1);
          return;
        }
        showStages(stages, now.passed, now.label);
        measure(now.done, now.total);
      } catch (error) {
        // A missed report is made good by the next one.
      }
    };
    const body = new FormData(form);
    body.set("progress_id", id);
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (sending) => {
      if (!sending.lengthComputable) return;
      showStages(stages, [], form.dataset.uploading);
      measure(sending.loaded, sending.total);
    });
    request.upload.addEventListener("load", () => bar.removeAttribute("value"));
    request.addEventListener("load", () => {
      clearInterval(asking);
      clearInterval(ticking);
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", () => {
      clearInterval(asking);
      clearInterval(ticking);
      showStages(stages, [], "");
      box.querySelector(".working-note").textContent = form.dataset.lost;
      bar.hidden = true;
    });
    request.send(body);
    // Until the file is all sent the server knows nothing of it and says so
    // (404); what it says after that is shown.
    asking = setInterval(ask, 500);
  });
});
