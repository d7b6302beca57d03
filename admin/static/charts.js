// Every chart on a page is a <div data-chart='{ECharts option}'> or a link graph <div data-graph>.
(function () {
  function draw(el, option) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    draw(el, JSON.parse(el.getAttribute("data-chart")));
  });
  document.querySelectorAll("[data-graph]").forEach(function (el) {
    var g = JSON.parse(el.getAttribute("data-graph"));
    draw(el, {
      animation: false,
      tooltip: {},
      legend: [{ data: g.categories.map(function (c) { return c.name; }) }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 260, edgeLength: [80, 160] },
        categories: g.categories, data: g.nodes, links: g.links,
        label: { show: true, position: "right", fontSize: 11 },
        edgeLabel: { show: true, fontSize: 10, formatter: function (p) { return p.data.value || ""; } },
        lineStyle: { color: "source", curveness: 0.1 }
      }]
    });
    el.setAttribute("data-drawn", g.nodes.length + " nodes, " + g.links.length + " links");
  });
})();
