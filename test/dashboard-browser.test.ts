import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Browser, Page, chromium } from 'playwright-core';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { demoStore } from './support/demo-store';

/**
 * /dashboard in a real browser (Debian's Chromium via playwright-core) on
 * the demo data with a fixed end: every panel drew data (points on its
 * canvas, or rows), nothing is fetched from elsewhere, each panel's query
 * opens in the explorer; and the explorer's results table and collapsible
 * investigations panel. Screenshots go to test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const END = '2026-11-30T12:00:00Z';
const PANELS = ['activity', 'range', 'errors', 'apis', 'principals', 'ips', 'clients', 'root', 'nomfa', 'detections'];

let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  const { engine } = await demoStore({ events: 6_000, end: new Date(END), days: 8 });
  app = await buildApp(loadConfig([], {}).config, { engine, logger: false });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('request', (r) => void (!r.url().startsWith(base) && !r.url().startsWith('data:') && problems.push(`request elsewhere: ${r.url()}`)));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test('every panel of /dashboard draws the demo data', async () => {
  await page.goto(`${base}/dashboard?end=${encodeURIComponent(END)}&days=7`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
  const states = await page.$$eval('[data-panel]', (cards) => cards.map((c) => ({ id: c.getAttribute('data-panel'), state: c.getAttribute('data-state'), drawn: Number(c.getAttribute('data-drawn') ?? 0), text: c.textContent ?? '' })));
  expect(states.map((s) => s.id)).toEqual(PANELS);
  for (const s of states) expect({ id: s.id, state: s.state, some: s.drawn > 0, text: s.state === 'drawn' ? '' : s.text }).toEqual({ id: s.id, state: 'drawn', some: true, text: '' });
  // Charts drew: each canvas has coloured pixels (not an empty canvas of the right size).
  const inked = await page.$$eval('[data-panel] canvas', (canvases) => canvases.map((c) => {
    const cv = c as HTMLCanvasElement;
    const data = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return { panel: cv.closest('[data-panel]')!.getAttribute('data-panel'), inked: n > 500 };
  }));
  expect(inked.length).toBeGreaterThanOrEqual(8);
  for (const c of inked) expect(c).toEqual({ panel: c.panel, inked: true });
  // Rows: the sign-ins without MFA and the detections list.
  expect(await page.$$eval('[data-panel="nomfa"] tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
  expect(await page.$$eval('[data-panel="detections"] tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  expect(problems).toEqual([]);
}, 90_000);

test('the account filter narrows every panel to one account', async () => {
  const accounts = await page.$$eval('#account option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(accounts.length).toBeGreaterThanOrEqual(2);
  const before = await page.getAttribute('[data-panel="apis"]', 'data-drawn');
  await page.selectOption('#account', accounts[0]);
  await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-panel]')).every((c) => c.getAttribute('data-state') !== 'loading'));
  const href = await page.getAttribute('[data-panel="apis"] .tg-open', 'href');
  const vars = JSON.parse(new URL(href!, base).searchParams.get('variables')!) as { filter: { accountIds: string[] } };
  expect(vars.filter.accountIds).toEqual([accounts[0]]);
  expect(before).not.toBeNull();
  expect(problems).toEqual([]);
}, 60_000);

/** The text of a GraphiQL editor (CodeMirror keeps only the visible lines in the DOM). */
function editorText(selector: string): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as (Element & { CodeMirror?: { getValue(): string } }) | null;
    if (!el?.CodeMirror) throw new Error(`no editor at ${sel}`);
    return el.CodeMirror.getValue();
  }, selector);
}

async function widthOf(selector: string): Promise<number> {
  return (await page.locator(selector).first().boundingBox())?.width ?? 0;
}

test("a panel's query opens in the explorer; its nodes show as a table beside the JSON; the investigations panel collapses", async () => {
  await page.goto(`${base}/dashboard?end=${encodeURIComponent(END)}&days=7`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
  const href = await page.getAttribute('[data-panel="nomfa"] .tg-open', 'href');
  const panelQuery = new URL(href!, base).searchParams.get('query')!;
  await page.goto(new URL(href!, base).toString());
  await page.waitForSelector('.tg-investigations', { timeout: 20_000 });
  await page.waitForFunction((q) => {
    const el = document.querySelector('.graphiql-query-editor .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return el?.CodeMirror?.getValue() === q;
  }, panelQuery, { timeout: 20_000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return (el?.CodeMirror?.getValue() ?? '').includes('"events"');
  }, undefined, { timeout: 20_000 });
  const shown = JSON.parse(await editorText('.graphiql-response .CodeMirror')) as { data: { events: { nodes: Array<{ eventTime: string; userIdentity: { arn: string } }> } } };
  const nodes = shown.data.events.nodes;
  expect(nodes.length).toBeGreaterThan(0);

  // The table: one row per node, nested fields as dotted columns, to the right of the JSON.
  await page.click('.tg-table-toggle');
  await page.waitForSelector('.tg-table-pane table');
  const header = await page.$$eval('.tg-table-pane th', (ths) => ths.map((t) => t.textContent));
  expect(header).toEqual(expect.arrayContaining(['eventTime', 'userIdentity.arn', 'userIdentity.type']));
  const cells = await page.$$eval('.tg-table-pane tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
  const timeCol = header.indexOf('eventTime');
  const arnCol = header.indexOf('userIdentity.arn');
  expect(cells.map((c) => [c[timeCol], c[arnCol]])).toEqual(nodes.map((n) => [n.eventTime, n.userIdentity.arn]));
  const json = await page.locator('.graphiql-response .result-window').boundingBox();
  const table = await page.locator('.tg-table-pane').boundingBox();
  expect(table!.x).toBeGreaterThanOrEqual(json!.x + json!.width - 1);
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-table.png') });

  // Collapsing the investigations gives the editor their width, and stays so on the next visit.
  const before = await widthOf('.graphiql-query-editor');
  await page.click('.tg-collapse');
  await page.waitForSelector('.tg-investigations', { state: 'detached' });
  expect(await widthOf('.graphiql-query-editor')).toBeGreaterThan(before + 100);
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-sidebar button[aria-label="Show Saved investigations"]');
  await page.waitForTimeout(300);
  expect(await page.$('.tg-investigations')).toBeNull();
  await page.click('.graphiql-sidebar button[aria-label="Show Saved investigations"]');
  await page.waitForSelector('.tg-investigations');
  expect(problems).toEqual([]);
}, 90_000);
