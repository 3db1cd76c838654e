// "My second career": the person's own plan, skills gap and journal, from /app/api/me.
// Every word comes from the server in the person's language; user text is only ever set as textContent.
"use strict";

(function () {
  const API = "api/";
  let words = {};
  let data = null;
  let chart = null;
  let searchTimer = 0;
  let searchSeq = 0;

  // -- Telegram ----------------------------------------------------------------------------------------
  const launch = new URLSearchParams(location.hash.slice(1));

  function webApp() {
    const app = window.Telegram && window.Telegram.WebApp;
    return app && app.initData ? app : null;
  }

  function initData() {
    const app = webApp();
    return app ? app.initData : launch.get("tgWebAppData") || "";
  }

  function claimedLanguage() {
    // Only to word an error page: the init data is not trusted here, the server checks it.
    try {
      const user = JSON.parse(new URLSearchParams(initData()).get("user") || "{}");
      return user.language_code || navigator.language || "en";
    } catch (error) {
      return navigator.language || "en";
    }
  }

  const THEME_KEYS = [
    "bg_color", "text_color", "hint_color", "link_color", "button_color", "button_text_color",
    "secondary_bg_color", "section_bg_color", "section_header_text_color", "accent_text_color",
    "destructive_text_color", "subtitle_text_color",
  ];

  function applyTheme(params) {
    const root = document.documentElement.style;
    for (const key of THEME_KEYS) {
      const colour = params && params[key];
      if (typeof colour === "string" && /^#[0-9a-fA-F]{3,8}$/.test(colour)) {
        root.setProperty("--tg-theme-" + key.replace(/_/g, "-"), colour);
      }
    }
  }

  function themeFromLaunch() {
    try {
      return JSON.parse(launch.get("tgWebAppThemeParams") || "{}");
    } catch (error) {
      return {};
    }
  }

  function bindTelegram() {
    const app = webApp();
    if (!app || app.__encoreBound) return;
    app.__encoreBound = true;
    app.ready();
    app.expand();
    applyTheme(app.themeParams);
    app.onEvent("themeChanged", function () {
      applyTheme(app.themeParams);
      drawChart();
    });
  }

  function backToChat() {
    const app = webApp();
    const link = data && data.chat_link;
    if (app) {
      if (link) app.openTelegramLink(link);
      app.close();
    } else if (link) {
      location.href = link;
    }
  }

  // -- helpers -----------------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function say(key, values) {
    let text = words[key] || "";
    for (const [name, value] of Object.entries(values || {})) text = text.split("{" + name + "}").join(value);
    return text;
  }

  function number(value) {
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
  }

  function applyLabels() {
    document.documentElement.lang = data ? data.language : document.documentElement.lang;
    for (const node of document.querySelectorAll("[data-label]")) node.textContent = say(node.dataset.label);
    $("title").textContent = say("title");
    document.title = say("title") + " · Encore";
    $("search").placeholder = say("search");
    $("search").setAttribute("aria-label", say("search"));
    $("back").textContent = say("back");
    $("back").hidden = false;
  }

  function finish(state, message) {
    $("status").textContent = message || "";
    $("status").hidden = !message;
    document.body.dataset.state = state;
    window.encoreShownAt = performance.now();
  }

  async function api(path) {
    const response = await fetch(API + path, {
      headers: { Authorization: "tma " + initData() },
      cache: "no-store",
      credentials: "omit",
    });
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  // -- sections ----------------------------------------------------------------------------------------
  function showProfile(profile) {
    const unknown = say("not_set");
    $("current-role").textContent = profile.current_role || unknown;
    $("target-path").textContent = profile.target_path || unknown;
    $("ready-by").textContent = profile.ready_by || unknown;
    $("checkin").textContent = profile.checkin || unknown;
    $("timezone").textContent = profile.timezone_text || unknown;
    $("subtitle").textContent = profile.target_path || "";
    $("profile").hidden = false;
  }

  function figure(value, label) {
    const box = el("div", "figure");
    box.append(el("b", "", value), el("span", "", label));
    return box;
  }

  function showPlan(plan) {
    const goals = $("goals");
    goals.replaceChildren();
    for (const goal of plan.goals) {
      const box = el("div", "goal");
      const title = el("p", "goal-name", goal.name);
      title.append(el("span", "badge " + goal.verdict, goal.verdict_text));
      box.append(title, el("p", "hint", say("exam_date") + ": " + (goal.exam_date_text || say("not_booked"))));
      const figures = el("div", "figures");
      const done = number(goal.hours_done) + (goal.need_hours ? " / " + number(goal.need_hours) : "") + " h";
      figures.append(figure(done, say("hours")));
      if (goal.weeks_left !== null && goal.weeks_left > 0) figures.append(figure(number(goal.weeks_left), say("weeks_left")));
      if (goal.needed_per_week) figures.append(figure(number(goal.needed_per_week) + " h", say("needed")));
      figures.append(figure(number(goal.planned_per_week) + " h", say("planned")));
      figures.append(figure(String(goal.streak_weeks), say("streak")));
      box.append(figures);
      const next = el("p", "next");
      next.append(el("strong", "", say("next_step") + ": "), document.createTextNode(goal.next_step));
      box.append(next);
      goals.append(box);
    }
    if (!plan.goals.length) goals.append(el("p", "hint", say("no_goal")));
    $("passed").textContent = plan.passed.join(" · ");
    $("chart-box").hidden = !plan.chart;
    $("plan").hidden = false;
    drawChart();
  }

  function colour(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  function drawChart() {
    const box = $("chart");
    const plan = data && data.plan;
    if (chart) {
      chart.destroy();
      chart = null;
    }
    if (!plan || !plan.chart || typeof uPlot === "undefined") return;
    const weeks = plan.chart.week_labels;
    const xs = weeks.map((_, index) => index);
    const text = colour("--text", "#1a202c");
    const hint = colour("--hint", "#6b7280");
    const accent = colour("--button", "#2b6cb0");
    const top = Math.max(plan.chart.target, ...plan.chart.hours, 1) * 1.2;
    chart = new uPlot(
      {
        width: Math.max(box.clientWidth, 240),
        height: 220,
        scales: { x: { time: false, range: [-0.6, xs.length - 0.4] }, y: { range: [0, top] } },
        cursor: { show: false },
        legend: { show: true, live: false },
        axes: [
          {
            stroke: hint,
            grid: { show: false },
            ticks: { show: false },
            incrs: [1, 2, 3, 4, 6, 12],
            space: 42,
            values: (u, splits) => splits.map((i) => (Number.isInteger(i) && weeks[i]) || ""),
          },
          { stroke: hint, grid: { stroke: hint + "33" }, ticks: { show: false }, size: 36 },
        ],
        series: [
          {},
          {
            label: say("hours"),
            stroke: accent,
            fill: accent,
            width: 0,
            paths: uPlot.paths.bars({ size: [0.6, 36] }),
            points: { show: false },
          },
          { label: say("planned"), stroke: text, width: 2, dash: [6, 4], points: { show: false } },
        ],
      },
      [xs, plan.chart.hours, xs.map(() => plan.chart.target)],
      box,
    );
  }

  function showSkills(roles) {
    const list = $("roles");
    list.replaceChildren();
    for (const role of roles) {
      list.append(el("h3", "", role.role));
      if (!role.assessed) {
        list.append(el("p", "hint", say("not_assessed")));
        continue;
      }
      list.append(el("p", "role-summary hint", role.summary));
      for (const skill of role.skills) {
        const row = el("div", "skill");
        const name = el("div", "skill-name");
        const level = skill.current === null ? say("skipped") : say("you") + " " + skill.current;
        name.append(el("span", "", skill.name), el("span", "", level + " · " + say("target") + " " + skill.target));
        const bar = el("div", "bar");
        const filled = el("div", "level");
        filled.style.width = ((skill.current || 0) / 5) * 100 + "%";
        const target = el("div", "target");
        target.style.left = "calc(" + (skill.target / 5) * 100 + "% - 2px)";
        bar.append(filled, target);
        row.append(name, bar);
        list.append(row);
      }
    }
    if (!roles.length) list.append(el("p", "hint", say("no_path")));
    $("skills").hidden = false;
  }

  function entryItem(entry) {
    const item = el("li");
    let meta = entry.date + " · " + entry.theme;
    if (entry.confidence) meta += " · " + say("confidence", { n: entry.confidence });
    item.append(el("p", "entry-meta", meta), el("p", "entry-prompt", entry.prompt), el("p", "entry-answer", entry.answer));
    return item;
  }

  function showEntries(entries, emptyKey) {
    const list = $("entries");
    list.replaceChildren(...entries.map(entryItem));
    if (!entries.length) list.append(el("li", "hint", say(emptyKey)));
  }

  function showJournal(journal) {
    $("journal-count").textContent = journal.count_text;
    showEntries(journal.entries, "no_entries");
    $("journal").hidden = false;
  }

  function search() {
    const words = $("search").value.trim();
    clearTimeout(searchTimer);
    const seq = ++searchSeq;
    if (!words) {
      $("matches").textContent = "";
      showEntries(data.journal.entries, "no_entries");
      return;
    }
    const needle = words.toLocaleLowerCase();
    const shown = data.journal.entries.filter(
      (e) => e.answer.toLocaleLowerCase().includes(needle) || e.prompt.toLocaleLowerCase().includes(needle),
    );
    showEntries(shown, "no_match");
    if (data.journal.count <= data.journal.entries.length) {
      $("matches").textContent = say("matches", { n: shown.length });
      return;
    }
    searchTimer = setTimeout(async function () {
      try {
        const found = await api("journal?q=" + encodeURIComponent(words));
        if (seq !== searchSeq) return;
        $("matches").textContent = say("matches", { n: found.total });
        showEntries(found.entries, "no_match");
      } catch (error) {
        if (seq === searchSeq) $("matches").textContent = say("failed");
      }
    }, 250);
  }

  function showActions(actions) {
    const box = $("action-buttons");
    box.replaceChildren();
    for (const action of actions) {
      const button = el("button");
      button.type = "button";
      button.dataset.command = action.command;
      button.append(el("span", "", action.label), el("span", "command", "/" + action.command));
      button.addEventListener("click", backToChat);
      box.append(button);
    }
    $("actions").hidden = false;
  }

  // -- start -------------------------------------------------------------------------------------------
  async function showError(status) {
    try {
      const chrome = await api("labels?lang=" + encodeURIComponent(claimedLanguage()));
      words = chrome.labels;
      document.documentElement.lang = chrome.language;
    } catch (error) {
      words = {};
    }
    applyLabels();
    finish(status === 401 ? "unauthorized" : "error", say(status === 401 ? "unauthorized" : "failed"));
  }

  async function start() {
    applyTheme(themeFromLaunch());
    bindTelegram();
    const sdk = document.getElementById("telegram-sdk");
    if (sdk) sdk.addEventListener("load", bindTelegram);
    $("back").addEventListener("click", backToChat);
    if (!initData()) {
      await showError(401);
      return;
    }
    try {
      data = await api("me");
    } catch (error) {
      await showError(error.status);
      return;
    }
    words = data.labels;
    applyLabels();
    if (!data.known) {
      showActions([]);
      $("actions").hidden = true;
      finish("welcome", say("welcome"));
      return;
    }
    showProfile(data.profile);
    showPlan(data.plan);
    showSkills(data.skills);
    showJournal(data.journal);
    showActions(data.actions);
    $("search").addEventListener("input", search);
    window.addEventListener("resize", drawChart);
    finish("ready", "");
  }

  start();
})();
