/*
 * The coordinator's desk in the browser: plain JavaScript on the
 * /api/v1 routes of tipgwd, no framework and nothing from another site.
 * Text from the ledger is only ever set as textContent, never as HTML.
 * The token is kept in sessionStorage: gone when the browser closes.
 */
'use strict';

const STATES = {
  received: '待分拣', awaiting_reply: '待补充地点', triage: '待核实地点',
  unassigned: '无监管所', routed: '已转派', acknowledged: '已受理',
  filed: '已立案', returned: '已退回', closed: '已办结'
};
/* The coordinator's own: listed first in the queue. */
const WAITING = ['returned', 'triage', 'unassigned', 'received'];
const ROLES = { admin: '管理员', coordinator: '协调员', office: '监管所',
  hotline: '热线' };
const ACTIONS = {
  route: ['admin', 'coordinator'],
  note: ['admin', 'coordinator', 'office', 'hotline'],
  assign: ['admin', 'coordinator', 'office'],
  close: ['admin', 'coordinator', 'office'],
  extend: ['admin', 'coordinator', 'office'],
  pause: ['admin', 'coordinator', 'office'],
  resume: ['admin', 'coordinator', 'office'],
  reveal: ['admin', 'coordinator'],
  hotline: ['admin', 'coordinator', 'hotline'],
  campaign: ['admin', 'coordinator']
};
const CASE_STATES = { proposed: '待确认', confirmed: '已确认', decided: '已处理',
  closed: '已结案', dissolved: '已撤销' };
const REWARD_STATES = { pending: '待核定', ineligible: '不符合', eligible: '符合',
  approved: '已核准', notified: '已通知', claimed: '已申领', paid: '已发放',
  expired: '已逾期', revoked: '已撤销' };

const S = {
  token: sessionStorage.getItem('tipgw.token'),
  me: null, vocab: null, townships: null
};

/* h('tag', {attr: value}, child...): an element; strings become text. */
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function toast(text, bad) {
  const t = h('div', { class: bad ? 'bad' : '' }, text);
  document.getElementById('toast').append(t);
  setTimeout(() => t.remove(), bad ? 8000 : 4000);
}

class ApiError extends Error {}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + S.token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch('/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body)
  });
  let doc = null;
  try { doc = await r.json(); } catch (e) { doc = null; }
  if (r.status === 401 && path !== '/me') {
    signOut();
    throw new ApiError('登录已失效，请重新登录');
  }
  if (!r.ok) throw new ApiError((doc && doc.error) || ('HTTP ' + r.status));
  return doc;
}

function may(action) {
  return S.me && ACTIONS[action].includes(S.me.role);
}

function chinaTime(s) {
  if (!s) return '';
  return new Date(s).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'
  });
}

const kindWords = k => (k && S.vocab && S.vocab.kinds[k]) || k || '—';
const productWords = p => (p && S.vocab && S.vocab.products[p]) || p || '—';
const stateWords = s => STATES[s] || s;

function signOut() {
  sessionStorage.removeItem('tipgw.token');
  S.token = null;
  S.me = null;
  location.hash = '#/login';
  render();
}

function view(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat());
}

function fail(e) {
  toast('操作失败：' + e.message, true);
}

/* ---- sign-in ------------------------------------------------------- */

function showLogin(message) {
  document.getElementById('top').hidden = true;
  const err = h('p', { class: 'error', id: 'login-error' }, message || '');
  const form = h('form', { class: 'card login', id: 'login' },
    h('h1', {}, '登录协调台'),
    h('label', {}, '访问令牌',
      h('input', { name: 'token', type: 'password', autocomplete: 'off',
        required: true, placeholder: 'tipgw_...' })),
    h('p', { class: 'note' }, '令牌由管理员用 tipgwctl user add 生成。'),
    h('button', { type: 'submit' }, '登录'), err);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    S.token = form.token.value.trim();
    try {
      S.me = await api('GET', '/me');
    } catch (e) {
      S.token = null;
      err.textContent = '令牌无效或已被撤销';
      return;
    }
    sessionStorage.setItem('tipgw.token', S.token);
    location.hash = '#/queue';
    render();
  });
  view(form);
}

async function loadCommon() {
  if (!S.me) S.me = await api('GET', '/me');
  if (!S.vocab) S.vocab = await api('GET', '/vocabulary');
  if (!S.townships) S.townships = (await api('GET', '/townships')).townships;
  const top = document.getElementById('top');
  top.hidden = false;
  document.getElementById('who').textContent =
    S.me.name + '（' + (ROLES[S.me.role] || S.me.role) + '）';
  document.getElementById('nav-hotline').hidden = !may('hotline');
  for (const id of ['nav-cases', 'nav-rewards', 'nav-reports'])
    document.getElementById(id).hidden = !may('campaign');
}

function townshipSelect(name, value, blank) {
  return h('select', { name },
    h('option', { value: '' }, blank),
    S.townships.map(t => h('option', { value: t.code,
      selected: t.code === value }, t.name + (t.office ? '' : '（无监管所）'))));
}

/* ---- the queue ------------------------------------------------------ */

function tipRow(t) {
  return h('tr', { class: t.overdue ? 'overdue' : '', 'data-code': t.code },
    h('td', {}, h('a', { href: '#/tip/' + t.code }, t.code)),
    h('td', {}, chinaTime(t.received_at)),
    h('td', {}, t.township || '—'),
    h('td', {}, kindWords(t.kind)),
    h('td', {}, productWords(t.product)),
    h('td', {}, stateWords(t.state)),
    h('td', { class: 'due' }, t.due ? t.due + (t.overdue ? ' 已超期' : '') : ''),
    h('td', {}, (t.text || '').slice(0, 40)));
}

function tipTable(tips, id) {
  return h('table', { id },
    h('thead', {}, h('tr', {}, ['编号', '收到时间', '乡镇', '类型', '食品',
      '状态', '期限', '内容'].map(x => h('th', {}, x)))),
    h('tbody', {}, tips.map(tipRow)));
}

function queueQuery(f, extra) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(Object.assign({}, f, extra)))
    if (v) q.set(k, v);
  return '/tips?' + q.toString();
}

async function showQueue(params) {
  await loadCommon();
  const f = {
    state: params.get('state') || '', township: params.get('township') || '',
    kind: params.get('kind') || '', q: params.get('q') || '',
    since: params.get('since') || '', until: params.get('until') || ''
  };
  const stats = await api('GET', '/stats');
  const counts = h('div', { class: 'counts', id: 'counts' },
    Object.keys(STATES).filter(s => stats.states[s]).map(s =>
      h('button', { type: 'button', class: f.state === s ? 'on' : '',
        'data-state': s, onclick: () => go(Object.assign({}, f,
          { state: f.state === s ? '' : s })) },
      stateWords(s) + ' ' + stats.states[s])));
  const form = h('form', { class: 'filters card', id: 'filters' },
    h('label', {}, '状态', h('select', { name: 'state' },
      h('option', { value: '' }, '全部'),
      Object.keys(STATES).map(s => h('option', { value: s,
        selected: s === f.state }, stateWords(s))))),
    h('label', {}, '乡镇', townshipSelect('township', f.township, '全部')),
    h('label', {}, '类型', h('select', { name: 'kind' },
      h('option', { value: '' }, '全部'),
      Object.entries(S.vocab.kinds).map(([k, w]) =>
        h('option', { value: k, selected: k === f.kind }, w)))),
    h('label', {}, '关键词', h('input', { name: 'q', value: f.q,
      maxlength: 64 })),
    h('label', {}, '起始日期', h('input', { name: 'since', type: 'date',
      value: f.since })),
    h('label', {}, '截止日期', h('input', { name: 'until', type: 'date',
      value: f.until })),
    h('button', { type: 'submit' }, '查询'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const n = {};
    for (const k of Object.keys(f)) n[k] = form.elements[k].value;
    go(n);
  });
  const parts = [h('h1', {}, '举报队列'), counts, form];
  /* The coordinator's waiting tips first, when no state is chosen. */
  if (!f.state && (S.me.role === 'coordinator' || S.me.role === 'admin')) {
    let waiting = [];
    for (const s of WAITING) {
      if (!stats.states[s]) continue;
      waiting = waiting.concat((await api('GET',
        queueQuery(f, { state: s, limit: 100 }))).tips);
    }
    if (waiting.length > 0)
      parts.push(h('h2', {}, '待协调员处理（' + waiting.length + '）'),
        h('div', { class: 'waiting' }, tipTable(waiting, 'waiting')));
  }
  const page = await api('GET', queueQuery(f, { limit: 50 }));
  const table = tipTable(page.tips, 'queue');
  const more = h('button', { type: 'button', class: 'plain', id: 'more' },
    '加载更多');
  let next = page.next;
  more.hidden = !next;
  more.addEventListener('click', async () => {
    try {
      const p = await api('GET', queueQuery(f, { limit: 50, cursor: next }));
      table.tBodies[0].append(...p.tips.map(tipRow));
      next = p.next;
      more.hidden = !next;
    } catch (e) { fail(e); }
  });
  parts.push(h('h2', {}, '全部举报'),
    page.tips.length ? table : h('p', { class: 'note', id: 'empty' },
      '没有符合条件的举报。'), more);
  view(parts);
}

function go(f) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  location.hash = '#/queue' + (q.toString() ? '?' + q.toString() : '');
}

/* ---- a tip ---------------------------------------------------------- */

function field(name, value) {
  return [h('dt', {}, name), h('dd', {}, value === null ||
    value === undefined || value === '' ? '—' : value)];
}

function actionForm(id, title, fields, button, submit) {
  const form = h('form', { id, class: 'card' }, h('strong', {}, title),
    fields, h('button', { type: 'submit' }, button));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      await submit(form);
    } catch (e) { fail(e); }
  });
  return form;
}

async function showTip(code) {
  await loadCommon();
  const t = await api('GET', '/tips/' + encodeURIComponent(code));
  const post = async (action, body, done) => {
    await api('POST', '/tips/' + encodeURIComponent(code) + '/' + action,
      body);
    toast(done);
    render();
  };
  const open = t.state !== 'closed';
  const forms = [];
  if (open && may('route'))
    forms.push(actionForm('act-route', '转派到乡镇', [
      h('label', {}, '乡镇', townshipSelect('township', t.township_code,
        '请选择')),
      h('label', {}, '原因', h('input', { name: 'reason' }))], '转派',
    f => post('route', { township: f.township.value,
      reason: f.reason.value || null }, '已转派')));
  if (t.state === 'routed' && may('assign'))
    forms.push(actionForm('act-assign', '受理（收到）', [
      h('label', {}, '承办人', h('input', { name: 'to' }))], '受理',
    f => post('assign', { to: f.to.value || null }, '已受理')));
  if (may('note'))
    forms.push(actionForm('act-note', '添加备注', [
      h('textarea', { name: 'text', required: true })], '保存备注',
    f => post('note', { text: f.text.value }, '已添加备注')));
  if (open && may('close'))
    forms.push(actionForm('act-close', '办结', [
      h('label', {}, '处理结果', h('textarea', { name: 'result',
        required: true }))], '办结',
    f => post('close', { result: f.result.value }, '已办结')));
  if (open && may('extend') && !t.extended_by)
    forms.push(actionForm('act-extend', '延期（仅一次）', [
      h('label', {}, '批准人', h('input', { name: 'approver', required: true })),
      h('label', {}, '理由', h('input', { name: 'reason', required: true }))],
    '延期', f => post('extend', { approver: f.approver.value,
      reason: f.reason.value }, '已延期')));
  if (open && may('pause') && !t.paused_from)
    forms.push(actionForm('act-pause', '暂停计时（检验检测）', [
      h('label', {}, '理由', h('input', { name: 'reason', required: true }))],
    '暂停', f => post('pause', { reason: f.reason.value }, '已暂停计时')));
  if (open && may('resume') && t.paused_from)
    forms.push(actionForm('act-resume', '恢复计时', [], '恢复',
      () => post('resume', undefined, '已恢复计时')));
  if (may('reveal')) {
    const shown = h('p', { id: 'revealed', class: 'result', hidden: true });
    forms.push(actionForm('act-reveal', '查看举报人号码（留痕）', [
      h('label', {}, '查看理由', h('input', { name: 'reason', required: true })),
      h('p', { class: 'note' }, '每次查看都记录查看人、时间和理由。'), shown],
    '查看', async f => {
      const r = await api('POST', '/tips/' + encodeURIComponent(code) +
        '/reveal', { reason: f.reason.value });
      shown.textContent = r.phone ? '举报人号码：' + r.phone : '匿名举报，无号码';
      shown.hidden = false;
    }));
  }
  view(h('h1', {}, '举报 ' + t.code + ' · ' + stateWords(t.state)),
    h('div', { class: 'card' }, h('dl', { class: 'fields', id: 'fields' },
      field('收到时间', chinaTime(t.received_at)),
      field('渠道', { sms: '短信', hotline: '热线', web: '网页',
        import: '导入' }[t.channel] || t.channel),
      field('乡镇', t.township), field('村', t.village),
      field('监管所', t.office), field('类型', kindWords(t.kind)),
      field('食品', productWords(t.product)), field('场所', t.shop),
      field('品牌', t.brand), field('计时起点', chinaTime(t.clock_from)),
      field('延期', t.extended_by ? t.extended_by + '：' +
        (t.extension_reason || '') : ''),
      field('暂停自', t.paused_from), field('处理结果', t.result)),
    h('h2', {}, '举报原话'), h('p', { class: 'words', id: 'text' }, t.text)),
    h('h2', {}, '处理'), h('div', { class: 'actions' }, forms),
    h('h2', {}, '消息'), h('table', { id: 'messages' },
      h('tbody', {}, t.messages.map(m => h('tr', {},
        h('td', {}, chinaTime(m.received_at)), h('td', {}, m.text))))),
    h('h2', {}, '处理记录'), h('table', { id: 'history' },
      h('thead', {}, h('tr', {}, ['时间', '事项', '操作人', '详情'].map(x =>
        h('th', {}, x)))),
      h('tbody', {}, t.history.map(e => h('tr', {},
        h('td', {}, chinaTime(e.at)), h('td', {}, e.action),
        h('td', {}, e.actor), h('td', {}, e.detail || ''))))));
}

/* ---- hotline -------------------------------------------------------- */

async function showHotline() {
  await loadCommon();
  const out = h('div', { id: 'hotline-result' });
  const form = h('form', { class: 'card', id: 'hotline' },
    h('label', {}, '举报内容（来电人原话）', h('textarea', { name: 'text',
      required: true, maxlength: 2000 })),
    h('label', {}, '来电号码（可不填，匿名）', h('input', { name: 'phone',
      inputmode: 'tel' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox',
      name: 'ack' }), '来电人同意接收确认短信'),
    h('label', {}, '乡镇（不选则按内容判断）',
      townshipSelect('township', '', '按内容判断')),
    h('button', { type: 'submit' }, '登记'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const t = await api('POST', '/tips', {
        text: form.text.value,
        phone: form.phone.value.trim() || null,
        ack: form.ack.checked,
        township: form.township.value || null
      });
      out.replaceChildren(h('p', { class: 'result' },
        '已登记：举报编号 ', h('strong', { id: 'new-code' }, t.code),
        '，查询码 ', h('strong', { id: 'new-pin' }, t.pin),
        '。请告知来电人，凭编号和查询码查询进展。'),
        h('p', {}, h('a', { href: '#/tip/' + t.code }, '查看此举报')));
      form.reset();
    } catch (e) { fail(e); }
  });
  view(h('h1', {}, '热线登记'), form, out);
}

/* ---- charts --------------------------------------------------------- */

/* A horizontal bar chart of [label, count] rows, as SVG. */
function barChart(id, rows) {
  const ns = 'http://www.w3.org/2000/svg';
  const max = Math.max(1, ...rows.map(r => r[1]));
  const rowH = 24, labelW = 160, barW = 420;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('id', id);
  svg.setAttribute('width', labelW + barW + 60);
  svg.setAttribute('height', rows.length * rowH + 10);
  svg.setAttribute('role', 'img');
  rows.forEach(([label, n], i) => {
    const y = i * rowH + 5;
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', 0);
    t.setAttribute('y', y + 15);
    t.textContent = label;
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', labelW);
    r.setAttribute('y', y + 3);
    r.setAttribute('height', rowH - 8);
    r.setAttribute('width', Math.max(2, Math.round(barW * n / max)));
    const v = document.createElementNS(ns, 'text');
    v.setAttribute('x', labelW + Math.round(barW * n / max) + 6);
    v.setAttribute('y', y + 15);
    v.textContent = String(n);
    svg.append(t, r, v);
  });
  return svg;
}

function sumBy(rows, key) {
  const m = new Map();
  for (const r of rows) m.set(key(r), (m.get(key(r)) || 0) + r.count);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

async function showCharts(params) {
  await loadCommon();
  const stats = await api('GET', '/stats');
  const months = [...new Set(stats.months.map(m => m.month))].sort().reverse();
  const month = params.get('month') || months[0] || '';
  const rows = stats.months.filter(m => m.month === month);
  const pick = h('select', { name: 'month', id: 'month', onchange: ev => {
    location.hash = '#/charts?month=' + ev.target.value;
  } }, months.map(m => h('option', { value: m, selected: m === month }, m)));
  view(h('h1', {}, '统计图表'),
    h('div', { class: 'card' }, h('label', { class: 'inline' }, '月份', pick)),
    months.length === 0 ? h('p', { class: 'note' }, '还没有举报。') : [
      h('div', { class: 'card' }, h('h2', {}, month + ' 各乡镇举报数'),
        barChart('chart-township', sumBy(rows, r => r.township || '未定位'))),
      h('div', { class: 'card' }, h('h2', {}, month + ' 各类型举报数'),
        barChart('chart-kind', sumBy(rows, r => kindWords(r.kind) || '未分类'))),
      h('div', { class: 'card' }, h('h2', {}, '每月举报数'),
        barChart('chart-month', sumBy(stats.months, r => r.month)
          .sort((a, b) => a[0] < b[0] ? 1 : -1)))]);
}

/* ---- cases, rewards, reports (the coordinator's) --------------------- */

const yuan = n => (n === null || n === undefined) ? '—' : n + '元';

async function showCases() {
  await loadCommon();
  const doc = await api('GET', '/cases');
  const rows = doc.cases.map(k => h('tr', { 'data-case': k.id },
    h('td', {}, h('a', { href: '#/case/' + k.id }, '案件' + k.id)),
    h('td', {}, CASE_STATES[k.state] || k.state),
    h('td', {}, k.tips_count),
    h('td', {}, k.tips.length ? (k.tips[0].township || '') +
      (k.tips[0].village || '') + (k.tips[0].shop || '') : '—'),
    h('td', {}, k.finding || ''),
    h('td', {}, yuan(k.penalty)),
    h('td', {}, k.state === 'proposed' ? h('button', { type: 'button',
      class: 'confirm', onclick: async () => {
        try {
          await api('POST', '/cases/' + k.id + '/confirm', {});
          toast('已确认案件' + k.id);
          render();
        } catch (e) { fail(e); }
      } }, '确认') : '')));
  view(h('h1', {}, '案件'),
    h('p', { class: 'note' }, '同一地点、同一问题的多条举报由系统合并为待确认案件；' +
      '最早的一条享有首报优先。'),
    rows.length ? h('table', { id: 'cases' }, h('thead', {}, h('tr', {},
      ['案件', '状态', '举报数', '地点', '查处结果', '罚款', ''].map(x =>
        h('th', {}, x)))), h('tbody', {}, rows)) :
      h('p', { class: 'note', id: 'empty' }, '还没有案件。'));
}

async function showCase(id) {
  await loadCommon();
  const k = await api('GET', '/cases/' + encodeURIComponent(id));
  const post = async (action, body, done) => {
    await api('POST', '/cases/' + k.id + '/' + action, body);
    toast(done);
    render();
  };
  const forms = [];
  if (k.state === 'proposed')
    forms.push(actionForm('case-confirm', '确认为一个案件', [], '确认',
      () => post('confirm', {}, '已确认')));
  if (k.state === 'confirmed' || k.state === 'decided') {
    const num = v => v === '' ? undefined : Number(v);
    forms.push(actionForm('case-outcome', '查处结果（问题台账）', [
      h('label', {}, '查处结果', h('input', { name: 'finding',
        value: k.finding || '' })),
      h('label', {}, '罚款（元）', h('input', { name: 'penalty',
        type: 'number', min: 0, value: k.penalty ?? '' })),
      h('label', {}, '没收（元）', h('input', { name: 'confiscated',
        type: 'number', min: 0, value: k.confiscated ?? '' })),
      h('label', {}, '整改措施', h('input', { name: 'measure',
        value: k.measure || '' })),
      h('label', {}, '整改时限', h('input', { name: 'deadline', type: 'date',
        value: k.deadline || '' })),
      h('label', {}, '责任人', h('input', { name: 'responsible',
        value: k.responsible || '' })),
      h('label', {}, '移送部门', h('input', { name: 'referral',
        value: k.referral || '' })),
      h('label', {}, '回头看日期', h('input', { name: 'followup',
        type: 'date', value: k.followup || '' }))], '保存',
    f => {
      const body = {};
      for (const n of ['finding', 'measure', 'deadline', 'responsible',
        'referral', 'followup'])
        if (f[n].value) body[n] = f[n].value;
      for (const n of ['penalty', 'confiscated'])
        if (f[n].value !== '') body[n] = num(f[n].value);
      return post('outcome', body, '已保存查处结果');
    }));
  }
  if (k.state === 'decided')
    forms.push(actionForm('case-close', '结案', [], '结案',
      () => post('close', {}, '已结案')));
  view(h('h1', {}, '案件' + k.id + ' · ' + (CASE_STATES[k.state] || k.state)),
    h('div', { class: 'card' }, h('dl', { class: 'fields', id: 'case-fields' },
      field('查处结果', k.finding), field('罚款', yuan(k.penalty)),
      field('没收', yuan(k.confiscated)), field('整改措施', k.measure),
      field('整改时限', k.deadline), field('责任人', k.responsible),
      field('移送', k.referral), field('回头看', k.followup))),
    h('h2', {}, '举报（★ 首报）'),
    h('table', { id: 'case-tips' }, h('tbody', {}, k.tips.map((t, i) =>
      h('tr', {}, h('td', {}, i === 0 ? '★' : ''),
        h('td', {}, h('a', { href: '#/tip/' + t.code }, t.code)),
        h('td', {}, chinaTime(t.received_at)), h('td', {}, t.text))))),
    h('h2', {}, '处理'), h('div', { class: 'actions' }, forms));
}

async function showRewards() {
  await loadCommon();
  const doc = await api('GET', '/rewards');
  const act = (r, action, label, body) => h('button', { type: 'button',
    class: action, onclick: async () => {
      try {
        await api('POST', '/rewards/' + r.id + '/' + action, body);
        toast(label + '：奖励' + r.id);
        render();
      } catch (e) { fail(e); }
    } }, label);
  const rows = doc.rewards.map(r => h('tr', { 'data-reward': r.id },
    h('td', {}, r.id), h('td', {}, h('a', { href: '#/case/' + r.case },
      '案件' + r.case)),
    h('td', {}, h('a', { href: '#/tip/' + r.tip }, r.tip)),
    h('td', {}, (REWARD_STATES[r.state] || r.state) +
      (r.first_reporter ? '（首报）' : '')),
    h('td', {}, yuan(r.amount)), h('td', {}, r.rule_set || ''),
    h('td', {}, r.why || ''),
    h('td', {}, r.state === 'eligible' ? act(r, 'approve', '核准', {}) :
      r.state === 'claimed' ? act(r, 'pay', '已发放', {}) : '')));
  view(h('h1', {}, '举报奖励'),
    h('p', { class: 'note' }, '案件处理结果保存后，系统按奖励规则核定；核准后短信通知举报人凭编号和查询码申领。'),
    rows.length ? h('table', { id: 'rewards' }, h('thead', {}, h('tr', {},
      ['编号', '案件', '举报', '状态', '金额', '规则', '原因', ''].map(x =>
        h('th', {}, x)))), h('tbody', {}, rows)) :
      h('p', { class: 'note', id: 'empty' }, '还没有奖励。'));
}

function thisQuarter() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.getUTCFullYear() + 'Q' + (Math.floor(d.getUTCMonth() / 3) + 1);
}

async function showReports(params) {
  await loadCommon();
  const q = params.get('quarter') || thisQuarter();
  const r = await api('GET', '/reports/quarterly?quarter=' +
    encodeURIComponent(q));
  const cols = [['township', '乡镇'], ['received', '收到'], ['routed', '转办'],
    ['acknowledged_in_time', '按时受理'], ['verified', '查证属实'],
    ['cases', '案件'], ['penalty', '罚款(元)'], ['confiscated', '没收(元)'],
    ['referrals', '移送'], ['reward_approved_yuan', '奖励核定(元)'],
    ['reward_paid_yuan', '奖励发放(元)']];
  const rows = r.townships.concat([r.total]);
  const csv = '\ufeff' + [cols.map(c => c[1]).join(',')].concat(rows.map(w =>
    cols.map(c => String(w[c[0]]).replace(/[",\r\n]/g, ' ')).join(',')))
    .join('\r\n') + '\r\n';
  const link = h('a', { id: 'report-csv', download: '报表-' + q + '.csv',
    href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })) },
    '下载CSV（Excel）');
  const pick = h('input', { name: 'quarter', id: 'quarter', value: q,
    pattern: '[0-9]{4}Q[1-4]', onchange: ev => {
      location.hash = '#/reports?quarter=' + ev.target.value;
    } });
  view(h('h1', {}, '季度报表 ' + r.period),
    h('div', { class: 'card' }, h('label', { class: 'inline' }, '季度', pick),
      ' ', link),
    h('table', { id: 'report' }, h('thead', {}, h('tr', {},
      cols.map(c => h('th', {}, c[1])))),
    h('tbody', {}, rows.map(w => h('tr', {}, cols.map(c =>
      h('td', {}, w[c[0]])))))));
}

/* ---- routing -------------------------------------------------------- */

async function render() {
  document.body.dataset.rendered = '';
  try {
    await renderPage();
  } finally {
    document.body.dataset.rendered = location.hash || '#';
  }
}

async function renderPage() {
  const hash = location.hash || '#/queue';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  for (const a of document.querySelectorAll('header nav a'))
    a.classList.toggle('here', hash.startsWith(a.getAttribute('href')));
  if (!S.token) return showLogin();
  try {
    if (path.startsWith('/tip/'))
      await showTip(decodeURIComponent(path.slice(5)));
    else if (path === '/hotline') await showHotline();
    else if (path === '/charts') await showCharts(params);
    else if (path === '/cases') await showCases();
    else if (path.startsWith('/case/'))
      await showCase(decodeURIComponent(path.slice(6)));
    else if (path === '/rewards') await showRewards();
    else if (path === '/reports') await showReports(params);
    else await showQueue(params);
  } catch (e) {
    if (!S.token) return showLogin('登录已失效，请重新登录');
    view(h('p', { class: 'error', id: 'page-error' }, '无法显示：' + e.message));
  }
}

window.addEventListener('hashchange', render);
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('signout').addEventListener('click', signOut);
  render();
});
