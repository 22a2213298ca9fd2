/*
 * The dashboard's charts (ECharts, vendored under vendor/echarts). The figures and every label
 * come from the page's <script type="application/json" id="dashboard-data"> (json_script), so
 * this file has no text to translate and the page needs no inline script (a CSP may forbid
 * them). Each chart has a data table under <details> for readers without JS or sight.
 */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts = [];

  // One colour per measure status, in the order of MeasureStatus.
  var STATUS_COLOURS = {
    not_started: "#9e9e9e",
    in_progress: "#1976d2",
    submitted: "#7b1fa2",
    returned: "#ef6c00",
    phase_complete: "#66bb6a",
    closed: "#2e7d32"
  };
  var AGING_COLOURS = ["#f9a825", "#ef6c00", "#c62828"];
  var LABEL_CHARS = 16;
  // A value axis's name starts at the axis instead of being centred on it (and cut off).
  var NAME_STYLE = { align: "left" };

  function shorten(text) {
    return text.length > LABEL_CHARS ? text.slice(0, LABEL_CHARS) + "…" : text;
  }

  function mount(id, height, option) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    element.style.height = height + "px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    option.animation = !reduceMotion;
    option.aria = { enabled: true };
    chart.setOption(option);
    charts.push(chart);
  }

  // Horizontal stacked bars: one bar per unit or aspect, one segment per status.
  function statusChart(id, figures) {
    if (!figures.labels.length) {
      return;
    }
    var series = data.statuses.map(function (status, index) {
      return {
        name: status.label,
        type: "bar",
        stack: "status",
        itemStyle: { color: STATUS_COLOURS[status.key] },
        data: figures.counts.map(function (row) { return row[index]; })
      };
    });
    mount(id, Math.max(220, 34 * figures.labels.length + 90), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 36, containLabel: true },
      xAxis: { type: "value", name: data.text.measures, nameLocation: "middle", nameGap: 26, minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: figures.labels,
        // Several inspections in view: their aspects are told apart by what differs (the
        // unit or the round), not cut to the round's name they all begin with.
        axisLabel: { formatter: function (value, index) { return shorten(figures.short[index] || value); } }
      },
      series: series
    });
  }

  function agingChart() {
    var aging = data.aging;
    mount("chart-aging", 260, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 30, bottom: 24, containLabel: true },
      xAxis: { type: "category", data: aging.labels },
      yAxis: { type: "value", name: data.text.overdue, nameTextStyle: NAME_STYLE, minInterval: 1 },
      series: [{
        name: data.text.overdue,
        type: "bar",
        label: { show: true, position: "top" },
        data: aging.values.map(function (value, index) {
          return { value: value, itemStyle: { color: AGING_COLOURS[index % AGING_COLOURS.length] } };
        })
      }]
    });
  }

  function progressChart() {
    var progress = data.progress;
    if (!progress.months.length) {
      return;
    }
    mount("chart-progress", 300, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
      xAxis: { type: "category", data: progress.months },
      yAxis: { type: "value", name: data.text.measures, nameTextStyle: NAME_STYLE, minInterval: 1 },
      series: [
        { name: data.text.closed, type: "bar", itemStyle: { color: "#66bb6a" }, data: progress.closed },
        { name: data.text.cumulative, type: "line", itemStyle: { color: "#2e7d32" }, data: progress.cumulative },
        {
          name: data.text.total,
          type: "line",
          symbol: "none",
          lineStyle: { type: "dashed" },
          itemStyle: { color: "#a4161a" },
          data: progress.total
        }
      ]
    });
  }

  statusChart("chart-units", data.units);
  statusChart("chart-aspects", data.aspects);
  agingChart();
  progressChart();

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
