// Data pages (数据中心, 我的数据): the trend chart with its metric switch and the previous period drawn dashed.
// The figures come from a json_script block; the metric buttons ([data-metric]) redraw without a page load.
(function () {
  const source = document.getElementById("analytics-trend-data");
  const box = document.getElementById("analytics-trend");
  if (!source || !box || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const buttons = Array.from(document.querySelectorAll("[data-metric]"));
  const chart = window.echarts.init(box);
  const money = new Set(data.money || []);
  const grouped = new Intl.NumberFormat(document.documentElement.lang || "zh-Hans", { maximumFractionDigits: 2 });

  function format(metric, value) {
    if (value === null || value === undefined) return "—";
    return money.has(metric) ? `¥${grouped.format(value)}` : grouped.format(value);
  }

  function draw(metric) {
    const series = data.metrics[metric];
    const label = (buttons.find((button) => button.dataset.metric === metric) || box).dataset.label || metric;
    const current = `${label} · ${box.dataset.labelCurrent}`;
    const previous = `${label} · ${box.dataset.labelPrevious}`;
    chart.setOption(
      {
        color: ["#ff2442", "#9ca3af"],
        tooltip: {
          trigger: "axis",
          formatter: (points) => points.map((point) => {
            const day = point.seriesIndex === 0 ? data.dates[point.dataIndex] : data.previous_dates[point.dataIndex];
            return `${point.marker}${point.seriesName} ${day}: ${format(metric, point.value)}`;
          }).join("<br>"),
        },
        legend: { top: 0, data: [current, previous] },
        grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
        // Month and day on the axis (the range above the chart gives the year); the tooltip has the whole date.
        xAxis: {
          type: "category", boundaryGap: false, data: data.dates,
          axisLabel: { formatter: (day) => day.slice(5), hideOverlap: true },
        },
        yAxis: { type: "value", min: 0 },
        series: [
          {
            name: current, type: "line", smooth: 0.25, showSymbol: data.dates.length < 40, data: series.current,
            areaStyle: { opacity: 0.08 },
          },
          {
            name: previous, type: "line", smooth: 0.25, showSymbol: false, data: series.previous,
            lineStyle: { type: "dashed", width: 1.5 },
          },
        ],
      },
      true,
    );
    box.dataset.shown = metric;
    buttons.forEach((button) => {
      const active = button.dataset.metric === metric;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", active ? "true" : "false");
    });
  }

  buttons.forEach((button) => button.addEventListener("click", () => draw(button.dataset.metric)));
  draw(box.dataset.metric || Object.keys(data.metrics)[0]);
  window.addEventListener("resize", () => chart.resize());
})();
