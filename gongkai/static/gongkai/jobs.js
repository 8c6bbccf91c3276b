// The background job's page: poll its JSON status and update the bar without reloading.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") { return; }
  var url = box.dataset.statusUrl;
  function show(job) {
    document.getElementById("job-status").textContent = job.status_label;
    var bar = document.getElementById("job-progress");
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    document.getElementById("job-percent").textContent = job.percent + "%";
    document.getElementById("job-count").textContent = job.total ? job.done + " / " + job.total : "";
    document.getElementById("job-message").textContent = job.message;
    if (job.error) {
      var error = document.getElementById("job-error");
      error.textContent = job.error;
      error.hidden = false;
    }
    if (job.finished) { window.location.reload(); }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) { if (job) { show(job); if (!job.finished) { setTimeout(poll, 1000); } } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
