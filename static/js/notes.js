// Note pages: the selection of rows (select all, the count on the button), the N07 badges' tooltips and the
// detail page's charts. Without JavaScript the checkboxes and buttons still post; only the conveniences go.
(function () {
  // Selection: [data-select-all] toggles every enabled [data-select-item]; [data-selection-button] shows the count
  // and is disabled while nothing is checked.
  const all = document.querySelector("[data-select-all]");
  const items = () => Array.from(document.querySelectorAll("[data-select-item]")).filter((box) => !box.disabled);
  const button = document.querySelector("[data-selection-button]");
  const counter = document.querySelector("[data-selection-count]");

  function sync() {
    const boxes = items();
    const checked = boxes.filter((box) => box.checked).length;
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
      all.disabled = boxes.length === 0;
    }
    if (button) {
      button.disabled = checked === 0;
      button.textContent = checked ? `${button.dataset.label} (${checked})` : button.dataset.label;
    }
    if (counter) counter.textContent = checked ? counter.dataset.template.replace("__count__", checked) : "";
  }

  if (all) {
    all.addEventListener("change", () => {
      items().forEach((box) => { box.checked = all.checked; });
      sync();
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-select-item]")) sync();
  });
  if (button) sync();

  // Tooltips of the N07 badges (the title attribute stays for anything without Bootstrap).
  if (window.bootstrap) {
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((el) => new window.bootstrap.Tooltip(el));
  }

  // The detail page: two line charts from the json_script data.
  const source = document.getElementById("note-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const palette = ["#ff2442", "#2563eb", "#f59e0b", "#10b981"];
  const base = {
    color: palette,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", boundaryGap: false, data: data.dates },
  };
  const charts = [];

  const traffic = document.getElementById("chart-traffic");
  if (traffic) {
    const chart = window.echarts.init(traffic);
    const line = (name, values, axis) => ({
      name, type: "line", smooth: 0.25, yAxisIndex: axis, showSymbol: data.dates.length < 40, data: values,
    });
    // Exposure is often 100 times the reads: it has the left axis, the other figures the right one.
    chart.setOption({
      ...base,
      yAxis: [
        { type: "value", min: 0 },
        { type: "value", min: 0, splitLine: { show: false } },
      ],
      series: [
        { ...line(traffic.dataset.labelExposure, data.exposure, 0), areaStyle: { opacity: 0.08 } },
        line(traffic.dataset.labelReads, data.reads, 1),
        line(traffic.dataset.labelEngagement, data.engagement, 1),
        line(traffic.dataset.labelReadUv, data.read_uv, 1),
      ],
    });
    charts.push(chart);
  }

  const quality = document.getElementById("chart-quality");
  if (quality) {
    const chart = window.echarts.init(quality);
    chart.setOption({
      ...base,
      color: ["#7c3aed", "#0891b2"],
      yAxis: [
        { type: "value", name: "%", min: 0, axisLabel: { formatter: "{value}%" } },
        { type: "value", name: "s", min: 0, splitLine: { show: false } },
      ],
      series: [
        { name: quality.dataset.labelRate, type: "line", connectNulls: true, data: data.rate },
        {
          name: quality.dataset.labelSeconds, type: "bar", yAxisIndex: 1, barMaxWidth: 18, data: data.avg_view_seconds,
          itemStyle: { opacity: 0.55 },
        },
      ],
    });
    charts.push(chart);
  }

  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
})();
