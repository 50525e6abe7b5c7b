// Charts of the dashboards page, drawn with Chart.js from our static files.
// Data comes from <script type="application/json"> blocks (json_script); every
// chart has the same figures in a table next to it, so nothing depends on this.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var colours = ["#0b5394", "#6aa84f", "#cc0000", "#e69138", "#674ea7"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    data.datasets.forEach(function (set, i) {
      set.backgroundColor = colours[i % colours.length];
    });
    var horizontal = canvas.getAttribute("data-axis") === "y";
    new window.Chart(canvas, {
      type: "bar",
      data: data,
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: reduce ? false : undefined,
        maintainAspectRatio: false,
        responsive: true,
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
