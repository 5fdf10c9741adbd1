// The unspun page: send two documents to /api/compare?format=page and draw the report; with an
// index on the server, trace a text (/api/trace) and open any source side by side
// (/api/trace/source?format=page, drawn as a comparison).
// Every piece of document text goes into the page with textContent or a text node, never as
// markup: a text that contains <script> or <img onerror=...> shows as those characters.
(function () {
  "use strict";

  var SIDES = ["source", "rewrite"];
  var VERDICT_TEXT = {
    "wholly-derived": "Nearly all of the rewrite comes from the source.",
    "partially-derived": "Part of the rewrite comes from the source; the rest is its own.",
    "non-derived": "No substantial reuse of the source was found."
  };
  var KINDS = [["verbatim", "verbatim"], ["near-verbatim", "near-verbatim"], ["paraphrase", "paraphrase"], ["summary", "summary"], ["translation", "translation"]];
  // The CSS class of a passage kind: "summary" is already the class of the page's verdict card.
  function kindClass(kind) { return kind === "summary" ? "summarised" : kind; }
  var FILE_SIDES = ["source", "rewrite", "query"];
  var files = { source: null, rewrite: null, query: null };
  var traced = null; // the request body of the last trace, re-sent to open a source
  var listed = []; // the sources of the last trace, as the API gave them
  var TOP = 10; // how many sources a trace lists
  var downloads = [];

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function pct(x) { return Math.round(x * 100) + "%"; }

  function hue(i) { return Math.floor((i * 137.508) % 360); }

  // ---- input ------------------------------------------------------------------------------

  function setFile(side, file) {
    files[side] = file;
    var chip = $(side + "-chip"), area = $(side + "-text");
    chip.hidden = !file;
    area.disabled = !!file;
    chip.querySelector(".file-name").textContent = file ? file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB) will be " + (side === "query" ? "traced" : "compared") : "";
    if (!file) $(side + "-file").value = "";
  }

  function wireInputs() {
    FILE_SIDES.forEach(function (side) {
      $(side + "-file").addEventListener("change", function (e) { setFile(side, e.target.files[0] || null); });
      var box = document.querySelector('.doc-input[data-side="' + side + '"]');
      box.addEventListener("dragover", function (e) { e.preventDefault(); box.classList.add("drop"); });
      box.addEventListener("dragleave", function () { box.classList.remove("drop"); });
      box.addEventListener("drop", function (e) {
        e.preventDefault();
        box.classList.remove("drop");
        if (e.dataTransfer && e.dataTransfer.files.length) setFile(side, e.dataTransfer.files[0]);
      });
    });
    document.querySelectorAll(".file-chip .clear").forEach(function (b) {
      b.addEventListener("click", function () { setFile(b.getAttribute("data-side"), null); });
    });
    $("compare-form").addEventListener("submit", function (e) { e.preventDefault(); run(); });
    $("trace-form").addEventListener("submit", function (e) { e.preventDefault(); runTrace(); });
    document.querySelectorAll("#tabs .tab").forEach(function (b) {
      b.addEventListener("click", function () { selectTab(b.getAttribute("data-tab")); });
    });
    $("sources").addEventListener("click", function (e) {
      var button = e.target.closest ? e.target.closest("button[data-row]") : null;
      if (button) openSource(Number(button.getAttribute("data-row")), button);
    });
  }

  function authHeaders() {
    var headers = {};
    var token = $("token").value.trim();
    if (token) headers["Authorization"] = "Bearer " + token;
    return headers;
  }

  // POST and parse the JSON answer; an error answer becomes an Error with the server's message.
  function post(url, req) {
    return fetch(url, { method: "POST", body: req.body, headers: req.headers })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = JSON.parse(text); } catch (err) { data = null; }
          if (!response.ok) {
            if (response.status === 401) $("token-row").hidden = false;
            throw new Error((data && data.error) || ("The server answered " + response.status + "."));
          }
          if (!data) throw new Error("The server's answer could not be read.");
          return data;
        });
      });
  }

  // A status line that counts the seconds while the server works.
  function busy(status, label) {
    var started = Date.now();
    status.className = "status busy";
    status.textContent = label;
    var timer = setInterval(function () {
      status.textContent = label + " " + Math.round((Date.now() - started) / 1000) + " s";
    }, 1000);
    return {
      done: function (message) {
        clearInterval(timer);
        status.className = message ? "status done" : "status";
        status.textContent = message ? message + " in " + ((Date.now() - started) / 1000).toFixed(1) + " s." : "";
      }
    };
  }

  function buildRequest() {
    var options = {};
    ["source_url", "source_title", "source_publisher"].forEach(function (k) {
      var v = $(k).value.trim();
      if (v) options[k] = v;
    });
    var headers = authHeaders();
    if (files.source || files.rewrite) {
      var form = new FormData();
      SIDES.forEach(function (side) { form.append(side, files[side] || $(side + "-text").value); });
      Object.keys(options).forEach(function (k) { form.append(k, options[k]); });
      return { body: form, headers: headers };
    }
    var body = { source: $("source-text").value, rewrite: $("rewrite-text").value };
    Object.keys(options).forEach(function (k) { body[k] = options[k]; });
    headers["Content-Type"] = "application/json";
    return { body: JSON.stringify(body), headers: headers };
  }

  function showError(message, id) {
    var box = $(id || "error");
    box.textContent = message;
    box.hidden = !message;
  }

  function run() {
    showError("");
    for (var i = 0; i < SIDES.length; i++) {
      var side = SIDES[i];
      if (!files[side] && !$(side + "-text").value.trim()) {
        showError("Paste or upload the " + side + " first.");
        $(side + "-text").focus();
        return;
      }
    }
    var button = $("compare");
    button.disabled = true;
    var work = busy($("status"), "Comparing…");
    post("/api/compare?format=page", buildRequest())
      .then(function (data) {
        render(data, "compare");
        work.done("Done");
      })
      .catch(function (err) {
        work.done("");
        showError(err && err.message ? err.message : String(err));
      })
      .then(function () { button.disabled = false; });
  }

  // ---- the trace tab ----------------------------------------------------------------------

  function selectTab(name) {
    document.querySelectorAll("#tabs .tab").forEach(function (b) {
      b.setAttribute("aria-selected", b.getAttribute("data-tab") === name ? "true" : "false");
    });
    $("compare-form").hidden = name !== "compare";
    $("trace-form").hidden = name !== "trace";
    $("trace-result").hidden = name !== "trace" || !$("sources").childNodes.length;
    // The side-by-side view belongs to the tab that drew it.
    var result = $("result");
    if (result.dataset.tab !== name) result.hidden = true;
  }

  // The text to trace as a request body: a form for a file (read on the server), JSON for text.
  function traceBody() {
    if (files.query) {
      var form = new FormData();
      form.append("text", files.query);
      return { form: form };
    }
    return { json: JSON.stringify({ text: $("query-text").value }) };
  }

  function asRequest(body) {
    var headers = authHeaders();
    if (body.json !== undefined) headers["Content-Type"] = "application/json";
    return { body: body.json !== undefined ? body.json : body.form, headers: headers };
  }

  function runTrace() {
    showError("", "trace-error");
    if (!files.query && !$("query-text").value.trim()) {
      showError("Paste or upload the text to trace first.", "trace-error");
      $("query-text").focus();
      return;
    }
    var button = $("trace");
    button.disabled = true;
    var body = traceBody();
    var work = busy($("trace-status"), "Tracing…");
    post("/api/trace?top=" + TOP, asRequest(body))
      .then(function (data) {
        traced = body;
        drawSources(data);
        work.done("Done");
      })
      .catch(function (err) {
        work.done("");
        showError(err && err.message ? err.message : String(err), "trace-error");
      })
      .then(function () { button.disabled = false; });
  }

  function drawSources(data) {
    var body = $("sources"), notes = $("trace-notes");
    body.textContent = "";
    notes.textContent = "";
    listed = data.sources;
    $("result").hidden = true;
    data.sources.forEach(function (s, n) {
      var row = el("tr", s.verified ? "verified" : "unverified");
      row.appendChild(el("td", "num", String(n + 1)));
      row.appendChild(el("td", "source-id", s.id));
      var verdict = el("td");
      verdict.appendChild(el("span", "badge " + s.verdict, s.verdict));
      row.appendChild(verdict);
      row.appendChild(el("td", "share", s.reuse ? pct(s.reuse.rewrite_share) : "–"));
      row.appendChild(el("td", "share", s.reuse ? pct(s.reuse.source_share) : "–"));
      row.appendChild(el("td", "share", s.score.toFixed(2)));
      row.appendChild(el("td", "why", s.verified ? "verified" : (s.unverified_reason || "not verified")));
      var open = el("td");
      var button = el("button", "open", "Side by side");
      button.type = "button";
      button.setAttribute("data-row", String(n));
      button.setAttribute("aria-label", "open " + s.id + " side by side");
      open.appendChild(button);
      row.appendChild(open);
      body.appendChild(row);
    });
    var lines = [];
    if (!data.sources.length) {
      lines.push("No source found: no indexed document shares 8 words in a row or a sentence of like meaning with this text.");
    } else if (data.sources.length < TOP) {
      lines.push(data.sources.length + " of " + TOP + " rows listed: only " + data.candidates + " indexed document" +
        (data.candidates === 1 ? " shares" : "s share") + " 8 words in a row or a sentence of like meaning with this text.");
    }
    var unverified = data.sources.filter(function (s) { return !s.verified; }).length;
    if (unverified) {
      lines.push(unverified + " not verified: the server verifies its " + data.verify + " best candidates only; open one to compare it now.");
    }
    lines.forEach(function (line) { notes.appendChild(el("li", null, line)); });
    $("trace-result").hidden = false;
  }

  function openSource(n, button) {
    var s = listed[n];
    if (!s || !traced) return;
    showError("", "trace-error");
    document.querySelectorAll("#sources button.open").forEach(function (b) { b.disabled = true; });
    var work = busy($("trace-status"), "Comparing with " + s.id + "…");
    post("/api/trace/source?format=page&id=" + encodeURIComponent(s.id), asRequest(traced))
      .then(function (data) {
        document.querySelectorAll("#sources tr.open-row").forEach(function (r) { r.classList.remove("open-row"); });
        button.closest("tr").classList.add("open-row");
        render(data, "trace");
        work.done("Compared with " + s.id);
      })
      .catch(function (err) {
        work.done("");
        showError(err && err.message ? err.message : String(err), "trace-error");
      })
      .then(function () {
        document.querySelectorAll("#sources button.open").forEach(function (b) { b.disabled = false; });
      });
  }

  // ---- the report -------------------------------------------------------------------------

  // The report's offsets count Unicode code points (Python's str); JavaScript strings count
  // UTF-16 units. Outside the Basic Multilingual Plane (emoji...) the two differ.
  function unitIndex(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return function (cp) { return cp; };
    var map = [], unit = 0;
    for (var ch of text) { map.push(unit); unit += ch.length; }
    map.push(unit);
    return function (cp) { return map[Math.min(cp, map.length - 1)]; };
  }

  // Cut the text at every passage, sentence-pair and chrome boundary, then label each run with
  // its passage (the first that covers it), its pair within the passage, and chrome.
  function runs(length, passages, side, chrome) {
    var cuts = {};
    cuts[0] = true; cuts[length] = true;
    function cut(span) { cuts[span[0]] = true; cuts[span[1]] = true; }
    passages.forEach(function (p) { cut(p[side]); (p.pairs || []).forEach(function (q) { cut(q[side]); }); });
    chrome.forEach(cut);
    var points = Object.keys(cuts).map(Number).filter(function (x) { return x >= 0 && x <= length; }).sort(function (a, b) { return a - b; });
    var out = [];
    for (var i = 0; i + 1 < points.length; i++) out.push({ a: points[i], b: points[i + 1], p: null, q: null, chrome: false });
    function first(start) { // index of the run that starts at ``start``
      var lo = 0, hi = out.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (out[mid].a < start) lo = mid + 1; else hi = mid; }
      return lo;
    }
    function each(span, fn) { for (var k = first(span[0]); k < out.length && out[k].b <= span[1]; k++) fn(out[k]); }
    passages.forEach(function (p, n) {
      each(p[side], function (r) { if (r.p === null) r.p = n; });
      (p.pairs || []).forEach(function (q, m) { each(q[side], function (r) { if (r.p === n && r.q === null) r.q = m; }); });
    });
    chrome.forEach(function (span) { each(span, function (r) { r.chrome = true; }); });
    return out;
  }

  var linked = { p: {}, q: {} };

  function link(kind, key, node) { (linked[kind][key] = linked[kind][key] || []).push(node); }

  function light(kind, key, cls, on) {
    (linked[kind][key] || []).forEach(function (node) { node.classList.toggle(cls, on); });
  }

  function drawText(view, text, passages, side, chrome) {
    view.textContent = "";
    var toUnit = unitIndex(text);
    var frag = document.createDocumentFragment();
    runs(toCount(text), passages, side, chrome).forEach(function (r) {
      var piece = text.slice(toUnit(r.a), toUnit(r.b));
      if (r.p !== null) {
        var mark = el("mark", r.q !== null ? "p pair" : "p", piece);
        mark.style.setProperty("--h", hue(r.p));
        mark.dataset.p = r.p;
        mark.dataset.side = side;
        mark.title = "passage " + (r.p + 1) + ": " + passages[r.p].kind;
        link("p", r.p, mark);
        if (r.q !== null) { mark.dataset.q = r.p + "-" + r.q; link("q", mark.dataset.q, mark); }
        frag.appendChild(mark);
      } else if (r.chrome) {
        var span = el("span", "chrome", piece);
        span.title = "site chrome, left out of the shares";
        frag.appendChild(span);
      } else {
        frag.appendChild(document.createTextNode(piece));
      }
    });
    view.appendChild(frag);
  }

  function toCount(text) { // length in code points
    if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
    var n = 0;
    for (var ch of text) { n += 1; void ch; }
    return n;
  }

  function partner(node) {
    var other = node.dataset.side === "source" ? "rewrite" : "source";
    var pool = (node.dataset.q && linked.q[node.dataset.q]) || linked.p[node.dataset.p] || [];
    for (var i = 0; i < pool.length; i++) if (pool[i].dataset && pool[i].dataset.side === other) return pool[i];
    return null;
  }

  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth; // restart the animation
    node.classList.add("flash");
  }

  function scrollInto(view, node) {
    // Scroll the text panel only, not the whole page.
    var top = node.offsetTop - view.offsetTop - view.clientHeight / 3;
    view.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
  }

  function wireLinks() {
    ["source-view", "rewrite-view", "map", "passages"].forEach(function (id) {
      var root = $(id);
      root.addEventListener("mouseover", function (e) { hover(e, true); });
      root.addEventListener("mouseout", function (e) { hover(e, false); });
      root.addEventListener("click", function (e) {
        var node = e.target.closest ? e.target.closest("[data-p]") : null;
        if (!node) return;
        if (node.tagName === "MARK") {
          var other = partner(node);
          if (other) { scrollInto($(other.dataset.side + "-view"), other); flash(other); }
        } else {
          showPassage(node.getAttribute("data-p"));
        }
      });
    });
  }

  function hover(e, on) {
    var node = e.target.closest ? e.target.closest("[data-p]") : null;
    if (!node) return;
    var p = node.getAttribute("data-p"), q = node.getAttribute("data-q");
    light("p", p, "on", on);
    if (q) light("q", q, "hit", on);
  }

  function showPassage(p) {
    SIDES.forEach(function (side) {
      var nodes = (linked.p[p] || []).filter(function (n) { return n.dataset.side === side; });
      if (nodes.length) { scrollInto($(side + "-view"), nodes[0]); nodes.forEach(flash); }
    });
  }

  function drawMap(svgText) {
    var map = $("map");
    map.textContent = "";
    // The map is drawn by the server from offsets and kinds only (no document text in it); it
    // is parsed as SVG and adopted, not assigned as markup.
    var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    var svg = doc.documentElement;
    if (!svg || svg.nodeName.toLowerCase() !== "svg") return;
    var node = document.importNode(svg, true);
    node.querySelectorAll("[data-p]").forEach(function (line) { link("p", line.getAttribute("data-p"), line); });
    map.appendChild(node);
  }

  function excerpt(text, toUnit, span, max) {
    var s = text.slice(toUnit(span[0]), toUnit(span[1])).replace(/\s+/g, " ").trim();
    return s.length > max ? s.slice(0, max - 1) + "…" : s;
  }

  function drawPassages(report, texts) {
    var body = $("passages");
    body.textContent = "";
    var tu = { source: unitIndex(texts.source), rewrite: unitIndex(texts.rewrite) };
    if (!report.passages.length) {
      var tr = el("tr"), td = el("td", "empty", "No reused passage found.");
      td.colSpan = 5; tr.appendChild(td); body.appendChild(tr);
      return;
    }
    report.passages.forEach(function (p, n) {
      var row = el("tr");
      row.dataset.p = n;
      link("p", n, row);
      var num = el("td", "num");
      var sw = el("span", "swatch");
      sw.style.setProperty("--h", hue(n));
      num.appendChild(sw);
      num.appendChild(document.createTextNode(String(n + 1)));
      row.appendChild(num);
      var kind = el("td");
      kind.appendChild(el("span", "kind " + kindClass(p.kind), p.kind));
      row.appendChild(kind);
      row.appendChild(el("td", "score", p.score.toFixed(2)));
      row.appendChild(el("td", "excerpt", excerpt(texts.source, tu.source, p.source, 140)));
      row.appendChild(el("td", "excerpt", excerpt(texts.rewrite, tu.rewrite, p.rewrite, 140)));
      body.appendChild(row);
    });
  }

  function factList(facts) {
    if (!facts || !facts.length) return null;
    return el("span", "facts", facts.map(function (f) { return f.value; }).join(", "));
  }

  function drawFidelity(report) {
    var f = report.fidelity, box = $("fidelity");
    box.textContent = "";
    var changed = f.changed || [];
    box.appendChild(el("h3", null, "Changed facts and quotes"));
    if (changed.length) {
      var table = el("table", "facts-table");
      var head = el("tr");
      ["kind", "the source says", "the rewrite says"].forEach(function (h) { head.appendChild(el("th", null, h)); });
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var tbody = el("tbody");
      changed.forEach(function (c) {
        var row = el("tr");
        row.appendChild(el("td", null, c.kind));
        row.appendChild(el("td", "was", c.source_value));
        row.appendChild(c.rewrite_value ? el("td", "now", c.rewrite_value) : el("td", "now gone", "paraphrased, no longer quoted"));
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      box.appendChild(table);
    } else {
      box.appendChild(el("p", "quiet", "No changed facts found in the aligned sentences."));
    }
    [["Dropped from the source", f.dropped, "dropped"], ["Damaged sentences", f.damaged, "damaged"],
     ["Added by the rewrite", f.additions, "added"]].forEach(function (group) {
      var items = group[1] || [];
      if (!items.length) return;
      box.appendChild(el("h3", null, group[0]));
      var list = el("ul", "findings " + group[2]);
      items.forEach(function (item) {
        var li = el("li", item.kind === "chrome" ? "chrome" : "");
        li.appendChild(el("span", "tag", item.kind));
        li.appendChild(el("span", "finding-text", item.text));
        var facts = factList(item.facts);
        if (facts) li.appendChild(facts);
        list.appendChild(li);
      });
      box.appendChild(list);
    });
    var a = f.attribution || {};
    box.appendChild(el("h3", null, "Attribution"));
    var credit = el("p", "credit " + (a.credited ? "yes" : "no"),
      a.credited ? "The rewrite credits its source." : "The rewrite does not credit its source.");
    if (a.names_source_org && a.publisher) credit.appendChild(el("span", "named", " It names " + a.publisher + " in the story."));
    box.appendChild(credit);
  }

  function drawSummary(report) {
    var verdict = $("verdict");
    verdict.textContent = report.verdict;
    verdict.className = "verdict " + report.verdict;
    var evidence = report.judgement && report.judgement.evidence;
    $("verdict-text").textContent = (VERDICT_TEXT[report.verdict] || "") + (evidence && evidence.reason ? " Why: " + evidence.reason + "." : "");
    $("rewrite-share").textContent = pct(report.reuse.rewrite_share);
    $("source-share").textContent = pct(report.reuse.source_share);
    $("passage-count").textContent = String(report.passages.length);
    $("passage-label").textContent = report.passages.length === 1 ? "aligned passage" : "aligned passages";
    var bar = $("kind-bar"), legend = $("kind-legend"), shares = report.reuse.kind_shares || {};
    bar.textContent = ""; legend.textContent = "";
    var total = 0;
    KINDS.forEach(function (k) {
      var share = shares[k[0]] || 0;
      total += share;
      if (share > 0) {
        var seg = el("span", "seg " + kindClass(k[0]));
        seg.style.width = (share * 100).toFixed(2) + "%";
        bar.appendChild(seg);
      }
      var item = el("span", "legend-item");
      item.appendChild(el("span", "dot " + kindClass(k[0])));
      item.appendChild(document.createTextNode(k[1] + " " + pct(share)));
      legend.appendChild(item);
    });
    var rest = el("span", "legend-item");
    rest.appendChild(el("span", "dot own"));
    rest.appendChild(document.createTextNode("own text " + pct(Math.max(0, 1 - total))));
    legend.appendChild(rest);
    $("model").textContent = report.model;
  }

  function setDownload(id, content, type) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    downloads.push(url);
    $(id).href = url;
  }

  function docName(doc, side) {
    // "text" is the label of a pasted text to trace, as "source" and "rewrite" are of compare's.
    return doc.title || (doc.id && doc.id !== side && doc.id !== "text" ? doc.id : "");
  }

  function render(data, tab) {
    var report = data.report, texts = data.texts;
    linked = { p: {}, q: {} };
    downloads.forEach(function (u) { URL.revokeObjectURL(u); });
    downloads = [];
    drawSummary(report);
    SIDES.forEach(function (side) {
      $(side + "-name").textContent = docName(report.documents[side], side);
      drawText($(side + "-view"), texts[side], report.passages, side, report.chrome[side] || []);
    });
    drawMap(data.reuse_map_svg);
    drawPassages(report, texts);
    drawFidelity(report);
    setDownload("download-json", JSON.stringify(report, null, 2) + "\n", "application/json");
    setDownload("download-html", data.html, "text/html");
    var result = $("result");
    result.dataset.tab = tab || "compare";
    result.hidden = false;
    result.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // Whether the server asks for a token, and whether it has an index (the Trace tab).
  function checkServer() {
    fetch("/healthz").then(function (r) { return r.json(); }).then(function (h) {
      if (h && h.token_required) $("token-row").hidden = false;
      if (h && h.trace === true) $("tabs").hidden = false;
    }).catch(function () { /* the first compare will say what is wrong */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireInputs();
    wireLinks();
    checkServer();
  });
})();
