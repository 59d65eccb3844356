/* sessionscope dashboard: client-side filtering by pair and date range. No network, no libraries. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("ss-data").textContent);
  var T = D.t, S = D.sessions, lang = D.lang;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=pair]"));
  var from = document.getElementById("f-from"), to = document.getElementById("f-to");

  function fmt(x, digits) {
    if (x === null || x === undefined || isNaN(x)) return "–";
    return Number(x).toLocaleString(lang, {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }
  function pct(x) { return (x === null || x === undefined || isNaN(x)) ? "–" : fmt(100 * x, 0) + " %"; }
  function mean(xs) {
    var v = xs.filter(function (x) { return x !== null && x !== undefined && !isNaN(x); });
    return v.length ? v.reduce(function (a, b) { return a + b; }, 0) / v.length : null;
  }
  // least-squares change per session (sessions in date order), as in programme_pairs
  function slope(xs) {
    var v = xs.filter(function (x) { return x !== null && x !== undefined && !isNaN(x); });
    if (v.length < 2) return null;
    var n = v.length, mx = (n - 1) / 2, my = v.reduce(function (a, b) { return a + b; }, 0) / n, num = 0, den = 0;
    v.forEach(function (y, i) { num += (i - mx) * (y - my); den += (i - mx) * (i - mx); });
    return num / den;
  }
  function sum(xs) { return xs.reduce(function (a, b) { return a + (b || 0); }, 0); }
  // session lengths that are known (untimed transcripts have none): hours and the >= 60 min share are over these
  function known(xs) { return xs.filter(function (x) { return x !== null && x !== undefined && !isNaN(x); }); }
  // a few minutes of talk are "< 0.1" hours, not "0.0" (as in programme.md and on the console)
  function hours(minutes) {
    var k = known(minutes), h = sum(k) / 60;
    if (!k.length) return "–";
    return h > 0 && h < 0.05 ? "< " + fmt(0.1, 1) : fmt(h, 1);
  }
  // a count over the sessions whose items were extracted: "–" when none was (not "0 found")
  function countText(xs) { return known(xs).length ? String(sum(xs)) : "–"; }
  // the counted items of a count that includes those marked to check (shown apart, "(+18 to check)")
  function counted(n, k) { return n === null || n === undefined ? null : n - (k || 0); }
  // sessions of 30 s are not "0" minutes on average: one decimal below 10 minutes (as in programme.md)
  function minutesText(m) { return fmt(m, m !== null && m < 10 ? 1 : 0); }
  function checkText(n) { return n ? " (" + T.to_check.replace("{n}", n) + ")" : ""; }
  function setText(id, text) { document.getElementById(id).textContent = text; }

  // chart artists that carry session or pair ids (see report/charts.py)
  var marks = [], bars = [];
  document.querySelectorAll("svg.chart [id]").forEach(function (el) {
    var m = el.id.match(/-pt-(\d+)$/);
    if (m) { marks.push({el: el, a: +m[1], b: +m[1]}); return; }
    m = el.id.match(/-seg-(\d+)-(\d+)$/);
    if (m) { marks.push({el: el, a: +m[1], b: +m[2]}); return; }
    m = el.id.match(/-bar-(\d+)-[^-]+$/);
    if (m) bars.push({el: el, p: +m[1]});
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-i]"));
  // per-pair blocks (checklist grids, goal rates, open goals) follow the pair filter
  var pairBlocks = Array.prototype.slice.call(document.querySelectorAll("[data-p]"));
  // checklist grid columns are sessions: they follow the date filter too
  var cells = Array.prototype.slice.call(document.querySelectorAll("[data-ci]"));

  function pairRow(name, ss, planned) {
    var covered = {};
    ss.forEach(function (s) { (s.areas || []).forEach(function (a) { covered[a] = true; }); });
    var plannedText = "–";
    if (planned && planned.length) {
      var hit = planned.filter(function (a) { return covered[a]; }).length;
      plannedText = hit + " / " + planned.length;
      var missing = planned.filter(function (a) { return !covered[a]; }).map(function (a) { return T.areas[a] || a; });
      if (missing.length) plannedText += " (" + T.missing + ": " + missing.join(", ") + ")";
    }
    var minutes = ss.map(function (s) { return s.minutes; });
    var trend = slope(ss.map(function (s) { return s.js; }));
    var trendText = trend === null ? "" : " (" + (trend >= 0 ? "+" : "−") + fmt(Math.abs(100 * trend), 1) + " " + T.pp + ")";
    // talk time and words apart: a pair with no timed session shows its share of the words, marked as such
    var talk = mean(ss.map(function (s) { return s.js; })), words = mean(ss.map(function (s) { return s.jw; }));
    var shareText = talk === null && words !== null ? pct(words) + " " + T.of_words : pct(talk) + trendText;
    var cells = [name, ss.length, hours(minutes), minutesText(mean(minutes)),
      known(minutes).length ? known(minutes).filter(function (m) { return m >= 60; }).length : "–",
      shareText, fmt(mean(ss.map(function (s) { return s.mu; })), 2),
      countText(ss.map(function (s) { return counted(s.rj, s.rjc); })) + " / " +
        countText(ss.map(function (s) { return counted(s.rs, s.rsc); })) + checkText(sum(ss.map(function (s) { return s.rc; }))),
      countText(ss.map(function (s) { return counted(s.ai, s.ac); })) + checkText(sum(ss.map(function (s) { return s.ac; }))),
      sum(ss.map(function (s) { return s.fl; })), plannedText];
    var tr = document.createElement("tr");
    cells.forEach(function (c, k) {
      var td = document.createElement("td");
      td.textContent = c;
      if (k > 0 && k < 10) td.className = "num";
      tr.appendChild(td);
    });
    return tr;
  }

  function apply() {
    var pairs = {};
    boxes.forEach(function (b) { if (b.checked) pairs[+b.value] = true; });
    var f = from.value, t = to.value;
    var keep = S.map(function (s) {
      // sessions without a date cannot be placed in time: the date range does not hide them
      return !!pairs[s.p] && (!s.date || ((!f || s.date >= f) && (!t || s.date <= t)));
    });
    var kept = S.filter(function (s, i) { return keep[i]; });
    rows.forEach(function (r) { r.hidden = !keep[+r.getAttribute("data-i")]; });
    pairBlocks.forEach(function (b) { b.hidden = !pairs[+b.getAttribute("data-p")]; });
    cells.forEach(function (c) { var k = +c.getAttribute("data-ci"); c.hidden = k >= 0 && !keep[k]; });
    marks.forEach(function (m) { m.el.style.display = (keep[m.a] && keep[m.b]) ? "" : "none"; });
    bars.forEach(function (b) { b.el.style.opacity = pairs[b.p] ? "1" : "0.15"; });
    document.getElementById("no-sessions").hidden = kept.length > 0;
    setText("f-count", T.showing.replace("{n}", kept.length).replace("{total}", S.length));

    var minutes = kept.map(function (s) { return s.minutes; });
    var judged = D.followup.filter(function (x) { return keep[x.i] && x.status !== "pending"; });
    setText("kpi_sessions", kept.length);
    setText("kpi_hours", hours(minutes));
    setText("kpi_minutes", minutesText(mean(minutes)));
    var timed = known(minutes);
    setText("kpi_60", timed.length ? pct(timed.filter(function (m) { return m >= 60; }).length / timed.length) : "–");
    // "2.4 hours" over 7 of 11 sessions must say so (the other 4 are untimed transcripts)
    var note = document.getElementById("kpi-timed-note");
    note.hidden = !(timed.length && timed.length < kept.length);
    note.textContent = T.of_timed.replace("{n}", timed.length).replace("{total}", kept.length);
    setText("kpi_jshare", pct(mean(kept.map(function (s) { return s.js; }))));
    setText("kpi_jwshare", pct(mean(kept.map(function (s) { return s.jw; }))));
    // the talk share is over the timed sessions only: say so when some have none
    var talkN = known(kept.map(function (s) { return s.js; })).length, talkNote = document.getElementById("kpi-talk-note");
    talkNote.hidden = !(talkN && talkN < kept.length);
    talkNote.textContent = T.talk_note.replace("{n}", talkN).replace("{total}", kept.length);
    setText("kpi_mutuality", fmt(mean(kept.map(function (s) { return s.mu; })), 2));
    // as the talk share: the mean mutuality is over the sessions that have one (round 27)
    var muN = known(kept.map(function (s) { return s.mu; })).length, muNote = document.getElementById("kpi-mutuality-note");
    muNote.hidden = !(muN && muN < kept.length);
    muNote.textContent = T.mutuality_note.replace("{n}", muN).replace("{total}", kept.length);
    // a share of goals says of how many: "100 % (1 of 1)" is not "100 % (40 of 40)" (round 40)
    function shareOf(k, n) { return n ? pct(k / n) + " (" + T.share_of.replace("{k}", k).replace("{n}", n) + ")" : "–"; }
    setText("kpi_followed", shareOf(judged.filter(function (x) { return x.status !== "not_mentioned"; }).length, judged.length));
    setText("kpi_flags", sum(kept.map(function (s) { return s.fl; })));
    setText("kpi_goals_done", shareOf(judged.filter(function (x) { return x.status === "done"; }).length, judged.length));

    var body = document.getElementById("pair-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    D.pairs.forEach(function (name, p) {
      var ss = kept.filter(function (s) { return s.p === p; });
      if (ss.length) body.appendChild(pairRow(name, ss, D.planned[p]));
    });
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  from.addEventListener("change", apply);
  to.addEventListener("change", apply);
  document.getElementById("f-all").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = true; }); apply(); });
  document.getElementById("f-none").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = false; }); apply(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    from.value = D.first || ""; to.value = D.last || "";
    apply();
  });
  // a URL hash like #pair=pair-a&from=2026-03-01 pre-sets the filter (handy for links and tests)
  if (location.hash.length > 1) {
    var q = {};
    location.hash.slice(1).split("&").forEach(function (kv) { var p = kv.split("="); q[decodeURIComponent(p[0])] = decodeURIComponent(p[1] || ""); });
    if (q.pair) { var want = q.pair.split(","); boxes.forEach(function (b) { b.checked = want.indexOf(D.pairs[+b.value]) >= 0; }); }
    if (q.from) from.value = q.from;
    if (q.to) to.value = q.to;
  }
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
