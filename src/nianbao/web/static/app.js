// nianbao: small progressive enhancements. Every text from the server is set with textContent.
(function () {
  "use strict";
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText); return body; });
    });
  }

  // ---- agency search as you type
  var agency = document.getElementById("agency");
  if (agency) {
    var list = document.getElementById("agency-list"), timer = null;
    agency.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = agency.value.trim();
        if (!q) return;
        getJSON("/api/agencies?q=" + encodeURIComponent(q)).then(function (d) {
          list.textContent = "";
          d.agencies.forEach(function (a) { list.appendChild(el("option", {value: a})); });
        }).catch(function () {});
      }, 200);
    });
  }

  // ---- upload: pick or drag
  var zone = document.getElementById("dropzone"), input = document.getElementById("files");
  if (zone && input) {
    var chosen = document.getElementById("chosen");
    function show() {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "已选择 " + names.length + " 个文件：" + names.join("、") : "";
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); }); });
    ["dragleave", "drop"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); }); });
    zone.addEventListener("drop", function (e) { if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); } });
    document.getElementById("upload-form").addEventListener("submit", function () {
      var b = document.getElementById("upload-button"); b.disabled = true; b.textContent = "正在上传……";
    });
  }

  // ---- job progress
  var job = document.getElementById("job");
  if (job && job.dataset.finished !== "yes") {
    var id = job.dataset.job;
    var poll = function () {
      getJSON("/api/jobs/" + id).then(function (j) {
        document.getElementById("job-status").textContent = j.status_label;
        document.getElementById("job-status").className = "status job-" + j.status;
        var p = document.getElementById("job-progress"); p.max = j.total || 1; p.value = j.done;
        document.getElementById("job-count").textContent = j.done + " / " + j.total;
        document.getElementById("job-message").textContent = j.message || "";
        var body = document.querySelector("#job-items tbody");
        body.textContent = "";
        j.items.forEach(function (it) {
          var tr = el("tr", {"data-n": it.n});
          tr.appendChild(el("td", null, it.n + 1));
          tr.appendChild(el("td", null, it.name));
          var st = el("td"); st.appendChild(el("span", {"class": "status item-" + it.status}, it.status_label)); tr.appendChild(st);
          var td = el("td");
          if (it.report_id) td.appendChild(el("a", {href: "/reports/" + it.report_id}, "打开报告"));
          if (it.reason) td.appendChild(el("span", {"class": "reason"}, " " + it.reason));
          tr.appendChild(td);
          body.appendChild(tr);
        });
        if (j.finished) job.dataset.finished = "yes"; else setTimeout(poll, 800);
      }).catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }

  // ---- plots (ECharts, served from the package): drawn from the JSON in data-plot, the API's numbers
  var PALETTE = ["#1d4e89", "#2e7d32", "#d4a017", "#c0392b", "#7b4f9d", "#8a96a3", "#1d8fa5", "#e07b39"];
  var plotsBox = document.getElementById("plots");
  if (plotsBox && window.echarts) {
    var listHref = plotsBox.dataset.listHref || "/reports?";
    document.querySelectorAll(".plot[data-plot]").forEach(function (box) {
      var p = JSON.parse(box.dataset.plot);
      var chart = window.echarts.init(box, null, {renderer: "canvas"});
      var stacks = {};
      p.series.forEach(function (s) { if (s.stack) stacks[s.stack] = (stacks[s.stack] || 0) + 1; });
      var manyStacks = Object.keys(stacks).length > 1;
      chart.setOption({
        animation: false,
        color: PALETTE,
        textStyle: {fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"},
        tooltip: {trigger: "axis", renderMode: "richText", axisPointer: {type: "shadow"}},
        legend: {type: "plain", top: 0, left: "center", width: "94%", data: p.series.map(function (s) { return s.name; })},
        grid: {left: 50, right: 24, top: 64 + 26 * (Math.ceil(p.series.length / (p.series.length > 6 ? 3 : 4)) - 1), bottom: 24, containLabel: true},
        xAxis: {type: "category", data: p.years.map(function (y) { return y + " 年"; })},
        yAxis: {type: "value", name: p.unit, nameGap: 14, minInterval: p.unit === "万元" ? 0 : 1},
        series: p.series.map(function (s, i) {
          return {name: s.name, type: s.type === "line" ? "line" : "bar", stack: s.stack || undefined,
                  data: s.values, connectNulls: false, symbolSize: 7, barMaxWidth: 48,
                  itemStyle: manyStacks ? {color: PALETTE[i % 4], opacity: 1 - 0.25 * Math.floor(i / 4)} : undefined,
                  emphasis: {focus: "series"}};
        })
      });
      chart.on("click", function (e) {
        var year = p.years[e.dataIndex];
        if (year !== undefined) window.location.href = listHref + (listHref.slice(-1) === "?" ? "" : "&") + "year=" + year;
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
    document.querySelectorAll("button.png[data-plot]").forEach(function (b) {
      b.addEventListener("click", function () {
        var box = document.getElementById("plot-" + b.dataset.plot), chart = box && window.echarts.getInstanceByDom(box);
        if (!chart) return;
        var a = el("a", {href: chart.getDataURL({type: "png", pixelRatio: 2, backgroundColor: "#fff"}),
                         download: b.dataset.plot + ".png"});
        document.body.appendChild(a); a.click(); a.remove();
      });
    });
  }

  // ---- report: cells, findings, source
  var report = document.getElementById("report");
  if (!report) return;
  var rid = report.dataset.report, body = document.getElementById("source-body"), detail = document.getElementById("cell-detail");
  var form = document.getElementById("correct-form");

  function clearSelected() {
    document.querySelectorAll(".selected").forEach(function (x) { x.classList.remove("selected"); });
  }
  function showSource(query) {
    body.textContent = "";
    body.appendChild(el("p", {"class": "hint"}, "正在载入原文……"));
    getJSON("/api/reports/" + rid + "/source?" + query).then(function (s) {
      body.textContent = "";
      if (s.loc) body.appendChild(el("p", {"class": "hint"}, "位置：" + describe(s.loc)));
      if (s.kind === "pdf") {
        var img = el("img", {src: s.image, alt: "原文第 " + s.page + " 页", id: "source-page"});
        var link = el("a", {href: s.image, target: "_blank", title: "在新窗口中打开原页大图"});
        link.appendChild(img);
        body.appendChild(link);
        img.addEventListener("load", function () {
          var box = img.parentNode.querySelector(".hint"); if (box) box.scrollIntoView({block: "nearest"});
        });
      } else if (s.kind === "table") {
        var t = el("table", {id: "source-table"});
        s.rows.forEach(function (row) {
          var tr = el("tr");
          row.forEach(function (c) { tr.appendChild(el("td", {"class": c.hit ? "hit" : (c.line ? "line" : null)}, c.text)); });
          t.appendChild(tr);
        });
        body.appendChild(t);
        var hit = t.querySelector(".hit"); if (hit) hit.scrollIntoView({block: "center"});
      } else if (s.kind === "text") {
        var pre = el("div", {"class": "src-lines", id: "source-lines"});
        s.lines.forEach(function (l) {
          var d = el("div", {"class": l.hit ? "hit" : null});
          d.appendChild(el("span", {"class": "n"}, l.n));
          d.appendChild(document.createTextNode(l.text));
          pre.appendChild(d);
        });
        body.appendChild(pre);
      } else {
        body.appendChild(el("p", {"class": "hint"}, s.message));
      }
    }).catch(function (e) { body.textContent = ""; body.appendChild(el("p", {"class": "alert"}, "无法载入原文：" + e.message)); });
  }
  function describe(loc) {
    var p = [];
    if (loc.page) p.push("第" + loc.page + "页");
    if (loc.table !== undefined) p.push("表" + loc.table);
    if (loc.row !== undefined) p.push("第" + loc.row + "行");
    if (loc.col !== undefined) p.push("第" + loc.col + "列");
    if (loc.line !== undefined && loc.row === undefined) p.push("第" + loc.line + "行");
    return p.join(" ");
  }
  function showCell(td) {
    clearSelected();
    td.classList.add("selected");
    var d = td.dataset;
    detail.hidden = false;
    detail.textContent = "";
    detail.appendChild(el("b", null, d.label || d.key));
    var dl = el("dl");
    function row(k, v) { if (v === undefined || v === "") return; dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); }
    row("数值", d.value === "" ? "（空）" : d.value + (d.unit ? " 元" : ""));
    row("原文", d.raw);
    row("确定", d.certain === "no" ? "否（解析器不确定）" : (d.certain ? "是" : ""));
    row("位置", d.loc);
    row("问题", d.codes);
    if (d.corrected !== undefined) row("更正为", (d.corrected || "（空）") + "（" + d.by + "：" + d.reason + "）");
    row("键", d.key);
    detail.appendChild(dl);
    (d.codes || "").split(" ").forEach(function () {});
    if (form) {
      form.hidden = false;
      document.getElementById("correct-key").value = d.key;
      document.getElementById("correct-label").textContent = (d.label || d.key) + (d.unit ? "（金额以元填写）" : "");
      document.getElementById("correct-value").value = d.corrected !== undefined ? d.corrected : (d.value || "");
    }
    showSource("key=" + encodeURIComponent(d.key));
  }
  document.querySelectorAll("td.cell").forEach(function (td) {
    td.addEventListener("click", function () { showCell(td); });
    td.addEventListener("keydown", function (e) { if (e.key === "Enter") showCell(td); });
  });
  document.querySelectorAll(".cell-link").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var td = document.getElementById("cell-" + a.dataset.key);
      if (td) { e.preventDefault(); td.scrollIntoView({block: "center"}); showCell(td); }
    });
  });
  document.querySelectorAll(".show-source").forEach(function (b) {
    b.addEventListener("click", function () {
      clearSelected();
      var f = document.getElementById("finding-" + b.dataset.finding);
      f.classList.add("selected");
      (f.dataset.keys || "").split(" ").forEach(function (k) { var td = k && document.getElementById("cell-" + k); if (td) td.classList.add("selected"); });
      detail.hidden = true;
      if (form) form.hidden = true;
      showSource("finding=" + b.dataset.finding);
    });
  });
})();
