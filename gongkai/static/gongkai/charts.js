// Draw every chart on the page with the vendored ECharts (gongkai/web/charts.py builds the data).
// Each <div data-chart="ID"> reads the JSON in <script id="ID" type="application/json">; the same
// figures are in the table below it, so without this script nothing is lost but the picture.
// window.gongkaiCharts[key] is the ECharts instance (the browser tests read its option back).
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }
  var ALERT = "#c0392b";
  var PALETTE = ["#1f5fa8", "#e08a1e", "#3a9a5b", "#8e5ea2", "#c0392b", "#17a2b8", "#7f8c8d", "#b5a400", "#d35400", "#2c3e50"];
  window.gongkaiCharts = window.gongkaiCharts || {};

  function fmt(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    var text = typeof value === "number" ? value.toLocaleString("zh-CN") : String(value);
    return unit ? text + " " + unit : text;
  }

  function barData(series, color) {
    return series.values.map(function (value, index) {
      var marked = series.marked.indexOf(index) >= 0;
      return marked ? { value: value, itemStyle: { color: ALERT, borderColor: "#000", borderWidth: 1 } } : value;
    });
  }

  function axisOption(spec) {
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var valueAxis = { type: "value", name: spec.unit || "", minInterval: 1 };
    return spec.horizontal ? { xAxis: valueAxis, yAxis: categoryAxis } : { xAxis: categoryAxis, yAxis: valueAxis };
  }

  function optionFor(spec) {
    var base = {
      color: PALETTE,
      animation: false,  // printing and tests see the final picture at once
      tooltip: { trigger: spec.kind === "pie" || spec.kind === "heatmap" ? "item" : "axis", confine: true },
      toolbox: { right: 8, feature: { saveAsImage: { title: "保存为图片", name: spec.title, pixelRatio: 2 } } },
      legend: { top: 0, left: 0, type: "scroll", right: 48 },
      grid: { left: 8, right: 24, top: 60, bottom: 8, containLabel: true }  // the value axis's unit sits below the legend
    };
    if (spec.kind === "pie") {
      var first = spec.series[0] || { values: [] };
      base.series = [{
        type: "pie", radius: ["35%", "65%"], name: first.name,
        data: spec.categories.map(function (name, i) { return { name: name, value: first.values[i] }; })
          .filter(function (d) { return d.value; }),
        label: { formatter: "{b}: {c}（{d}%）" }
      }];
      return base;
    }
    if (spec.kind === "heatmap") {
      var cells = [];
      var max = 0;
      spec.series.forEach(function (row, y) {
        row.values.forEach(function (value, x) {
          if (value !== null) { cells.push([x, y, value]); max = Math.max(max, value); }
        });
      });
      base.legend = undefined;
      base.grid.top = 24;
      base.xAxis = { type: "category", data: spec.categories, axisLabel: { rotate: 45, interval: 0 } };
      base.yAxis = { type: "category", inverse: true, data: spec.series.map(function (s) { return s.name; }), axisLabel: { interval: 0 } };
      base.visualMap = { min: 0, max: Math.max(max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f7fbff", "#fdae61", "#c0392b"] } };
      base.grid.bottom = 56;
      base.series = [{ type: "heatmap", data: cells, label: { show: spec.categories.length <= 12 } }];
      return base;
    }
    var axes = axisOption(spec);
    base.xAxis = axes.xAxis;
    base.yAxis = axes.yAxis;
    base.series = spec.series.map(function (series) {
      if (spec.kind === "line") {
        return {
          type: "line", name: series.name, data: series.values, connectNulls: false,
          markPoint: series.marked.length ? {
            symbol: "pin", itemStyle: { color: ALERT },
            data: series.marked.map(function (i) { return { coord: [spec.categories[i], series.values[i]], value: series.notes[String(i)] || "异常" }; })
          } : undefined
        };
      }
      return {
        type: "bar", name: series.name, data: barData(series),
        stack: spec.kind === "stacked" ? "total" : undefined,
        emphasis: { focus: "series" }
      };
    });
    return base;
  }

  function linkOf(spec, params) {
    if (spec.kind === "heatmap") {
      var row = spec.series[params.value[1]];
      return row && row.links ? row.links[params.value[0]] : null;
    }
    var series = spec.series[params.seriesIndex];
    return series && series.links ? series.links[params.dataIndex] : null;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    // SVG keeps the printed page sharp; the toolbox still saves a picture.
    var chart = window.echarts.init(element, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(optionFor(spec));
    chart.on("click", function (params) {
      var href = linkOf(spec, params);
      if (href) { window.location.href = href; }
    });
    element.dataset.rendered = "1";
    window.gongkaiCharts[spec.key] = chart;
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
    document.documentElement.dataset.chartsReady = "1";
  }

  window.addEventListener("resize", function () {
    Object.keys(window.gongkaiCharts).forEach(function (key) { window.gongkaiCharts[key].resize(); });
  });
  window.addEventListener("beforeprint", function () {
    Object.keys(window.gongkaiCharts).forEach(function (key) { window.gongkaiCharts[key].resize(); });
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
