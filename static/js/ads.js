// Ads pages: the campaign detail's charts (spend, impressions and clicks by day; component clicks), the advanced
// rights chart (spend by day in the window with its running total against the threshold), and the "add a row"
// buttons of the features form. Without JavaScript the tables and the form still work; only the conveniences go.
(function () {
  const charts = [];
  const read = (id) => {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  };
  const grid = { left: 8, right: 8, top: 40, bottom: 8, containLabel: true };

  // Campaign detail ------------------------------------------------------------------------------------------
  const campaign = read("campaign-chart-data");
  const delivery = document.getElementById("chart-delivery");
  if (campaign && delivery && window.echarts) {
    const chart = window.echarts.init(delivery);
    const labels = delivery.dataset;
    // Spend has its own axis (¥, left); impressions and clicks differ by a hundredfold, so each has one on the right.
    chart.setOption({
      color: ["#ff2442", "#2563eb", "#10b981"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { ...grid, right: 16 },
      xAxis: { type: "category", data: campaign.dates },
      yAxis: [
        { type: "value", min: 0, name: "¥", axisLabel: { formatter: "¥{value}" } },
        { type: "value", min: 0, splitLine: { show: false } },
        { type: "value", min: 0, splitLine: { show: false }, offset: 56 },
      ],
      series: [
        { name: labels.labelSpend, type: "bar", yAxisIndex: 0, barMaxWidth: 18, data: campaign.spend, itemStyle: { opacity: 0.75 } },
        { name: labels.labelImpressions, type: "line", yAxisIndex: 1, smooth: 0.25, showSymbol: campaign.dates.length < 40, data: campaign.impressions },
        { name: labels.labelClicks, type: "line", yAxisIndex: 2, smooth: 0.25, showSymbol: campaign.dates.length < 40, data: campaign.clicks },
      ],
    });
    charts.push(chart);
  }
  const components = document.getElementById("chart-components");
  if (campaign && components && window.echarts) {
    const chart = window.echarts.init(components);
    chart.setOption({
      color: ["#7c3aed"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { ...grid, right: 28 },
      xAxis: { type: "value", min: 0, minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: campaign.components.map((item) => item.name) },
      series: [{
        name: components.dataset.labelClicks, type: "bar", barMaxWidth: 22, label: { show: true, position: "right" },
        data: campaign.components.map((item) => item.value),
      }],
    });
    charts.push(chart);
  }

  // Advanced rights ------------------------------------------------------------------------------------------
  // A round axis end above `value`: 8,612 → 9,000; 0 → 1.
  const nice = (value) => {
    if (!(value > 0)) return 1;
    const step = 10 ** Math.floor(Math.log10(value)) / 2;
    return Math.ceil(value / step) * step;
  };
  const rights = read("rights-chart-data");
  const window_ = document.getElementById("chart-window");
  if (rights && window_ && window.echarts) {
    const chart = window.echarts.init(window_);
    const labels = window_.dataset;
    chart.setOption({
      color: ["#ff2442", "#2563eb"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { ...grid, right: 16 },
      xAxis: { type: "category", data: rights.dates },
      yAxis: [
        { type: "value", min: 0, name: labels.labelDayAxis, axisLabel: { formatter: "¥{value}" } },
        // The threshold stays in sight even when the window holds less than it.
        { type: "value", min: 0, max: (value) => nice(Math.max(value.max, Number(rights.threshold)) * 1.05), name: labels.labelTotalAxis, axisLabel: { formatter: "¥{value}", showMaxLabel: false }, splitLine: { show: false } },
      ],
      series: [
        { name: labels.labelDay, type: "bar", barMaxWidth: 18, data: rights.spend, itemStyle: { opacity: 0.75 } },
        {
          name: labels.labelTotal, type: "line", yAxisIndex: 1, step: "end", showSymbol: false, data: rights.running,
          markLine: {
            symbol: "none", lineStyle: { type: "dashed", color: "#f59e0b" },
            label: { formatter: `${labels.labelThreshold} ¥${Number(rights.threshold).toLocaleString()}`, position: "insideEndTop" },
            data: [{ yAxis: Number(rights.threshold) }],
          },
        },
      ],
    });
    charts.push(chart);
  }

  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));

  // A scrolling table with data-scroll-to="selector" starts with that row in view (the day the rights lock).
  document.querySelectorAll("[data-scroll-to]").forEach((box) => {
    const row = box.querySelector(box.dataset.scrollTo);
    const head = box.querySelector("thead");
    if (row) box.scrollTop = row.offsetTop - (head ? head.offsetHeight : 0) - row.offsetHeight;
  });

  // The features form: <button data-add-row="tbody-id" data-max="20"> copies the tbody's last row, emptied.
  document.querySelectorAll("[data-add-row]").forEach((button) => {
    const body = document.getElementById(button.dataset.addRow);
    if (!body) return;
    const max = Number(button.dataset.max) || 20;
    const sync = () => { button.disabled = body.rows.length >= max; };
    button.hidden = false;
    sync();
    button.addEventListener("click", () => {
      if (body.rows.length >= max) return;
      const row = body.rows[body.rows.length - 1].cloneNode(true);
      row.querySelectorAll("input, textarea").forEach((input) => {
        input.value = "";
        input.classList.remove("is-invalid");
      });
      row.querySelectorAll(".invalid-feedback").forEach((error) => error.remove());
      body.appendChild(row);
      sync();
      const first = row.querySelector("input, textarea");
      if (first) first.focus();
    });
  });
})();
