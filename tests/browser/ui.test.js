// The web UI's checks for t-ui.sh, one "ok - ..." or "not ok - ..." line
// each. Arguments: NODE_MODULES CHROMIUM BASE_URL TMPDIR ARTEFACTS.
'use strict';

const fs = require('fs');
const path = require('path');
const [modules, chromiumPath, base, tmp, artefacts] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));
const token = name => fs.readFileSync(path.join(tmp, name + '.token'),
  'utf8').trim();

function check(desc, cond, detail) {
  console.log((cond ? 'ok - ' : 'not ok - ') + desc +
    (cond || detail === undefined ? '' : ' ' + JSON.stringify(detail)));
}

async function step(desc, fn) {
  try {
    await fn();
  } catch (e) {
    check(desc, false, String(e && e.message || e).split('\n')[0]);
  }
}

/* Wait until the page has drawn what its address asks for. */
async function drawn(page) {
  await page.waitForFunction(() => document.body.dataset.rendered ===
    (location.hash || '#'));
}

async function signIn(page, name) {
  await page.goto(base + '/');
  await page.waitForSelector('input[name=token]');
  await page.fill('input[name=token]', token(name));
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#queue, #empty');
  await drawn(page);
}

(async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath,
    args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const dialogs = [];
  const errors = [];
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss(); });
  page.on('pageerror', e => errors.push(e.message));
  // The bad token's 401 is the one error a page may show.
  page.on('console', m => {
    if (m.type() === 'error' && !m.text().includes('status of 401'))
      errors.push(m.text());
  });
  let code = null;

  await step('sign-in page', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('input[name=token]');
    check('/ leads to the sign-in page with a field named token',
      page.url().endsWith('/ui/') &&
      await page.isVisible('input[name=token]'));
    check('the page is in Chinese', (await page.textContent('h1')) ===
      '登录协调台');
  });
  await step('a bad token', async () => {
    await page.fill('input[name=token]', 'tipgw_' + 'x'.repeat(43));
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() =>
      document.getElementById('login-error').textContent !== '');
    check('a bad token: refused with a message',
      (await page.textContent('#login-error')).includes('令牌无效'));
  });
  await step('sign in as the coordinator', async () => {
    await signIn(page, 'coord');
    check('signed in: the queue with the user',
      (await page.textContent('#who')).includes('coord（协调员）'));
    const rows = await page.$$('#queue tbody tr');
    check('the queue shows the five tips', rows.length === 5, rows.length);
    check('counts per state', (await page.textContent('#counts'))
      .includes('已转派'));
    await page.screenshot({ path: path.join(artefacts, 'queue.png'),
      fullPage: true });
  });
  await step('waiting and overdue', async () => {
    const waiting = await page.$$('#waiting tbody tr');
    check("the coordinator's waiting tip comes first (兰青乡: no office)",
      waiting.length === 1 && (await waiting[0].textContent())
        .includes('兰青乡'));
    const overdue = await page.$$('#queue tr.overdue');
    check('the overdue tip is highlighted', overdue.length === 1 &&
      (await overdue[0].textContent()).includes('袁寨'));
  });
  await step('a hostile tip is text', async () => {
    check('markup in a tip is shown as text, never run',
      (await page.textContent('#queue')).includes('<img src=x') &&
      (await page.$$('#queue img')).length === 0 && dialogs.length === 0);
  });
  await step('filter the queue', async () => {
    await page.selectOption('#filters select[name=township]', '411724101');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('township='));
    await drawn(page);
    let rows = await page.$$eval('#queue tbody tr', r => r.map(x =>
      x.textContent));
    check('filter by township: 寒冻镇 only', rows.length === 3 &&
      rows.every(r => r.includes('寒冻镇')), rows);
    await page.fill('#filters input[name=q]', '过期奶粉');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('q='));
    await drawn(page);
    rows = await page.$$eval('#queue tbody tr', r => r.map(x =>
      x.getAttribute('data-code')));
    check('filter by text: one tip', rows.length === 1, rows);
    code = rows[0];
    await page.screenshot({ path: path.join(artefacts, 'queue-filtered.png'),
      fullPage: true });
  });
  await step('open a tip', async () => {
    await page.click('#queue a');
    await page.waitForSelector('#fields');
    check('the tip page: its words, fields and history',
      (await page.textContent('#text')).includes('固城村东头小卖部') &&
      (await page.textContent('#fields')).includes('寒冻所') &&
      (await page.$$('#history tbody tr')).length >= 2);
    await page.screenshot({ path: path.join(artefacts, 'tip.png'),
      fullPage: true });
  });
  await step('route it', async () => {
    await page.selectOption('#act-route select[name=township]', '411724108');
    await page.fill('#act-route input[name=reason]', '实为袁寨镇');
    await page.click('#act-route button[type=submit]');
    await page.waitForFunction(() =>
      document.getElementById('fields') &&
      document.getElementById('fields').textContent.includes('袁寨所'));
    check('routed: the office is 袁寨所, the history says who',
      (await page.textContent('#history')).includes('api:coord') &&
      (await page.textContent('h1')).includes('已转派'));
  });
  await step('reveal with a reason', async () => {
    await page.fill('#act-reveal input[name=reason]', '回访核实');
    await page.click('#act-reveal button[type=submit]');
    await page.waitForSelector('#revealed:not([hidden])');
    check("the reporter's number, once a reason is given",
      (await page.textContent('#revealed')).includes('+8613900000001'));
  });
  await step('a chart', async () => {
    await page.click('#nav-charts');
    await page.waitForSelector('#chart-township');
    const bars = await page.$$('#chart-township rect');
    check('the chart of tips per township has bars', bars.length >= 2,
      bars.length);
    check('the chart of kinds names them in Chinese',
      (await page.textContent('#chart-kind')).includes('过期'));
    await page.screenshot({ path: path.join(artefacts, 'charts.png'),
      fullPage: true });
  });
  await step('a case, its outcome, the reward, the report', async () => {
    await page.click('#nav-cases');
    await page.waitForSelector('#cases');
    await drawn(page);
    check('the proposed case is listed', (await page.textContent('#cases'))
      .includes('待确认'));
    await page.click('#cases button.confirm');
    await page.waitForFunction(() =>
      document.querySelector('#cases') &&
      document.querySelector('#cases').textContent.includes('已确认'));
    check('confirmed', true);
    await page.click('#cases a');
    await page.waitForSelector('#case-outcome');
    check('the first reporter is starred', (await page.textContent(
      '#case-tips')).includes('★'));
    await page.fill('#case-outcome input[name=finding]', '销售过期乳粉');
    await page.fill('#case-outcome input[name=penalty]', '5000');
    await page.fill('#case-outcome input[name=responsible]', '王所长');
    await page.click('#case-outcome button[type=submit]');
    await page.waitForFunction(() =>
      document.querySelector('h1').textContent.includes('已处理'));
    check('the outcome recorded: decided, with the penalty',
      (await page.textContent('#case-fields')).includes('5000元'));
    await page.screenshot({ path: path.join(artefacts, 'case.png'),
      fullPage: true });
    await page.click('#nav-rewards');
    await page.waitForSelector('#rewards');
    await drawn(page);
    check('the first reporter\'s reward is eligible',
      (await page.textContent('#rewards')).includes('符合（首报）'));
    await page.click('#rewards button.approve');
    await page.waitForFunction(() =>
      document.querySelector('#rewards') &&
      document.querySelector('#rewards').textContent.includes('已通知'));
    check('approved: the reporter is told', true);
    await page.screenshot({ path: path.join(artefacts, 'rewards.png'),
      fullPage: true });
    await page.click('#nav-reports');
    await page.waitForSelector('#report');
    const cells = await page.$$eval('#report tbody tr', r => r.map(x =>
      x.textContent));
    /* Tip A, the case's first, was routed to 袁寨镇 above. */
    check('the quarter\'s report: the penalty and the reward',
      cells.some(c => c.includes('袁寨镇') && c.includes('5000')) &&
      cells.some(c => c.includes('合计')), cells);
    check('a CSV to download', (await page.getAttribute('#report-csv',
      'download')).endsWith('.csv'));
    await page.screenshot({ path: path.join(artefacts, 'report.png'),
      fullPage: true });
  });
  await step('sign out', async () => {
    await page.click('#signout');
    await page.waitForSelector('input[name=token]');
    check('signed out: the token is gone', await page.evaluate(() =>
      sessionStorage.getItem('tipgw.token')) === null);
  });
  await step('a hotline tip', async () => {
    await signIn(page, 'hotline1');
    await page.click('#nav-hotline');
    await page.waitForSelector('#hotline');
    await page.fill('#hotline textarea[name=text]',
      '袁寨乡集市上有人卖没有生产日期的散装月饼');
    await page.fill('#hotline input[name=phone]', '13900000055');
    await page.click('#hotline button[type=submit]');
    await page.waitForSelector('#new-code');
    const pin = await page.textContent('#new-pin');
    check('entered: its code and PIN for the caller',
      /^[A-Z0-9]{6}$/.test(await page.textContent('#new-code')) &&
      /^[0-9]{4}$/.test(pin));
    await page.screenshot({ path: path.join(artefacts, 'hotline.png'),
      fullPage: true });
    await page.click('#nav-queue');
    await page.waitForSelector('#queue, #empty');
    const rows = await page.$$('#queue tbody tr');
    check('the hotline operator sees the tip it entered only',
      rows.length === 1, rows.length);
  });
  await step("an office's user", async () => {
    await page.click('#signout');
    await signIn(page, 'office1');
    const rows = await page.$$eval('#queue tbody tr', r => r.map(x =>
      x.textContent));
    check("an office sees its township's tips only", rows.length === 2 &&
      rows.every(r => r.includes('寒冻镇')), rows);
    check('an office has no campaign pages', await page.isHidden(
      '#nav-cases') && await page.isHidden('#nav-rewards'));
    check('an office has no hotline form', await page.isHidden('#nav-hotline'));
    await page.click('#queue a');
    await page.waitForSelector('#fields');
    check('an office may not route or reveal',
      (await page.$('#act-route')) === null &&
      (await page.$('#act-reveal')) === null &&
      (await page.$('#act-assign')) !== null);
    check('no number on the page', !(await page.content())
      .includes('13900000004'));
    await page.click('#act-assign button[type=submit]');
    await page.waitForFunction(() =>
      document.querySelector('h1').textContent.includes('已受理'));
    check('an office takes the tip', true);
    await page.screenshot({ path: path.join(artefacts, 'office.png'),
      fullPage: true });
  });
  check('no script error in the pages', errors.length === 0, errors);
  await browser.close();
  console.log('ok - the end');
})().catch(e => {
  console.log('not ok - the browser run: ' + e.message);
  process.exit(1);
});
