import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { demoStore } from './support/demo-store';
import { TEST_NOW, fixedClock } from './support/clock';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { firstOfEachId } from './support/expected';
import { demoRecords } from './support/live-batches';
import { until } from './support/ws-client';

/**
 * The explorer in a real browser: Debian's Chromium, driven by
 * playwright-core, against a server listening on a real port and holding
 * the demo data. It opens a saved investigation, sends it with a header from
 * the headers editor, and checks that the result pane shows its events; the
 * docs explorer and the history work; nothing is fetched from elsewhere.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const INVESTIGATION = 'amazon-q-calls';

let app: FastifyInstance;
let engine: DuckDbEngine;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const apiKeysSeen: string[] = [];
/** What went wrong in the current test's page (each test has its own, so each runs alone). */
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test drives Debian's Chromium. Install it with: apt-get update && apt-get install -y chromium`);
  }
  ({ engine } = await demoStore({ events: 5_000, end: TEST_NOW }));
  app = await buildApp(loadConfig([], {}).config, { engine, logger: false, clock: fixedClock() });
  app.addHook('onRequest', async (request) => {
    const key = request.headers['x-api-key'];
    if (request.url.startsWith('/graphql') && typeof key === 'string') apiKeysSeen.push(key);
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

// A fresh browser context per test (its own storage: GraphiQL keeps tabs and history there), so no test leans on another's state.
beforeEach(async () => {
  problems.length = 0;
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('request', (r) => void (!r.url().startsWith(base) && !r.url().startsWith('data:') && problems.push(`request elsewhere: ${r.url()}`)));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
});

afterEach(async () => {
  await context?.close();
});

/** Opens the explorer on a first visit: the first investigation in its tab. */
async function openExplorer(): Promise<void> {
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector(`[data-investigation="${INVESTIGATION}"]`, { timeout: 20_000 });
  await page.waitForSelector('.graphiql-tab-active:has-text("AccessKeyActivity")');
}

async function setApiKeyHeader(key: string): Promise<void> {
  await page.click('.graphiql-editor-tools button:has-text("Headers")');
  await setEditorText(TOOL_EDITOR, JSON.stringify({ 'x-api-key': key }));
}

async function runAndWaitForAnswer(field: string): Promise<void> {
  await page.click('.graphiql-execute-button');
  await page.waitForFunction((f) => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return (el?.CodeMirror?.getValue() ?? '').includes(`"${f}"`);
  }, field, { timeout: 20_000 });
}

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The text of a GraphiQL editor (CodeMirror keeps only the visible lines in the DOM). */
function editorText(selector: string): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as (Element & { CodeMirror?: { getValue(): string } }) | null;
    if (!el?.CodeMirror) throw new Error(`no editor at ${sel}`);
    return el.CodeMirror.getValue();
  }, selector);
}

function setEditorText(selector: string, text: string): Promise<void> {
  return page.evaluate(([sel, value]) => {
    const el = document.querySelector(sel) as (Element & { CodeMirror?: { setValue(v: string): void } }) | null;
    if (!el?.CodeMirror) throw new Error(`no editor at ${sel}`);
    el.CodeMirror.setValue(value);
  }, [selector, text] as const);
}

const TOOL_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';

interface EventsAnswer {
  data: { events: { nodes: Array<{ eventTime: string; eventName: string; clientTool: string }> } } & Record<string, unknown>;
}

test('a saved investigation runs from /graphiql and the result pane shows its events', async () => {
  // The investigations are what an analyst sees first.
  await openExplorer();
  for (const label of ['Show Documentation Explorer', 'Show History']) await page.waitForSelector(`.graphiql-sidebar button[aria-label="${label}"]`);

  // A first visit opens the first investigation; another opens in a new tab.
  await page.click(`[data-investigation="${INVESTIGATION}"]`);
  await page.waitForSelector('.graphiql-tab-active:has-text("AmazonQCalls")');
  expect(await page.$$eval('.graphiql-tab', (ts) => ts.length)).toBe(2);
  const query = await editorText('.graphiql-query-editor .CodeMirror');
  expect(query).toContain('query AmazonQCalls');
  const variables = JSON.parse(await editorText(TOOL_EDITOR)) as Record<string, unknown>;
  expect(variables.clientTools).toEqual(['AMAZON_Q_CLI', 'AMAZON_Q_IDE']);

  // The API key goes in the headers editor, and with the request.
  await setApiKeyHeader('browser-test-key');
  await runAndWaitForAnswer('events');
  const shown = JSON.parse(await editorText('.graphiql-response .CodeMirror')) as EventsAnswer & { errors?: unknown };
  expect(shown.errors).toBeUndefined();
  expect(apiKeysSeen).toContain('browser-test-key');

  // The pane holds the investigation's answer: the API's own, events through Amazon Q.
  const direct = await gql<EventsAnswer['data']>(app, query, variables);
  expect(direct.errors).toBeUndefined();
  const nodes = shown.data.events.nodes;
  expect(nodes.length).toBeGreaterThan(0);
  expect(shown.data).toEqual(direct.data);
  for (const n of nodes) expect(['AMAZON_Q_CLI', 'AMAZON_Q_IDE']).toContain(n.clientTool);
  const pane = await page.innerText('.graphiql-response');
  expect(pane).toContain('"byPrincipal"');

  // The events are on screen: scroll the pane to them.
  await page.evaluate(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string; lineCount(): number; scrollIntoView(p: { line: number; ch: number }): void } }) | null;
    const cm = el!.CodeMirror!;
    const line = cm.getValue().split('\n').findIndex((l) => l.includes('"events"'));
    cm.scrollIntoView({ line: Math.min(cm.lineCount() - 1, line + 12), ch: 0 });
  });
  await page.waitForFunction((name) => (document.querySelector('.graphiql-response')?.textContent ?? '').includes(name), nodes[0].eventName);
  expect(await page.innerText('.graphiql-response')).toContain(nodes[0].eventTime);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
  expect(problems).toEqual([]);
});

test('each investigation opens in a new tab, keeping the other tabs and the credentials', async () => {
  await openExplorer();
  await setApiKeyHeader('browser-test-key');
  await page.click('[data-investigation="top-apis-by-error-code"]');
  await page.waitForSelector('.graphiql-tab-active:has-text("TopApisByErrorCode")');
  expect(await editorText('.graphiql-query-editor .CodeMirror')).toContain('query TopApisByErrorCode');
  expect(JSON.parse(await editorText(TOOL_EDITOR))).toEqual({ 'x-api-key': 'browser-test-key' });
  // An investigation opened twice: two tabs, each with its text.
  await page.click('[data-investigation="amazon-q-calls"]');
  await page.waitForFunction(() => document.querySelectorAll('.graphiql-tab').length === 3);
  await page.waitForSelector('.graphiql-tab-active:has-text("AmazonQCalls")');
  expect(await editorText('.graphiql-query-editor .CodeMirror')).toContain('query AmazonQCalls');
  await page.click('[data-investigation="amazon-q-calls"]');
  await page.waitForFunction(() => document.querySelectorAll('.graphiql-tab').length === 4);
  await page.waitForSelector('.graphiql-tab-active:has-text("AmazonQCalls")');
  expect(await editorText('.graphiql-query-editor .CodeMirror')).toContain('query AmazonQCalls');
  // A new tab's label follows its operation name once the editor has it: wait for the labels, then compare.
  const want = ['AccessKeyActivity', 'TopApisByErrorCode', 'AmazonQCalls', 'AmazonQCalls'];
  const labels = () => page.$$eval('.graphiql-tab', (ts) => ts.map((t) => (t.textContent ?? '').trim().replace(/\s*icon$/, '')));
  await page.waitForFunction((w) => JSON.stringify(Array.from(document.querySelectorAll('.graphiql-tab')).map((t) => (t.textContent ?? '').trim().replace(/\s*icon$/, ''))) === w, JSON.stringify(want)).catch(() => undefined);
  expect(await labels()).toEqual(want);
  expect(problems).toEqual([]);
});

test('the docs explorer shows the schema and the history keeps the run', async () => {
  await openExplorer();
  await setApiKeyHeader('browser-test-key');
  await runAndWaitForAnswer('events');
  await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer :text("Root Types")');
  await page.click('.graphiql-doc-explorer a:has-text("Query")');
  await page.waitForSelector('.graphiql-doc-explorer :text("eventStats")');
  await page.screenshot({ path: join(ARTIFACTS, 'graphiql-docs.png') });

  await page.click('.graphiql-sidebar button[aria-label="Show History"]');
  await page.waitForSelector('.graphiql-history-item:has-text("AccessKeyActivity")');
  expect(problems).toEqual([]);
});

test('the live investigation shows IAM changes as they land, over a WebSocket to this server', async () => {
  await openExplorer();
  expect(await page.innerText('.tg-investigations')).toContain(`${base.replace('http:', 'ws:')}/graphql`);
  await page.click('[data-investigation="iam-policy-and-role-changes-live"]');
  await page.waitForSelector('.graphiql-tab-active:has-text("IamPolicyAndRoleChangesLive")');
  await page.click('.graphiql-execute-button');
  await until(() => app.trailgraph.subscriptions.count === 1);
  const dir = mkdtempSync(join(tmpdir(), 'tg-browser-live-'));
  try {
    // New events of the clock's own day, so the live window holds them.
    await generateDemo({ events: 2000, out: dir, days: 2, end: TEST_NOW, seed: 5151 });
    const names = firstOfEachId(demoRecords(dir)).filter((r) => r.eventSource === 'iam.amazonaws.com' && /Role|Policy/.test(String(r.eventName))).map((r) => String(r.eventName));
    expect(names.length).toBeGreaterThan(0);
    await ingestPaths(engine, [dir], { workers: 0 });
    app.trailgraph.changes.notify();
    // The pane shows each event as it arrives: one of the new changes, without errors.
    await page.waitForFunction((wanted) => {
      const text = document.querySelector('.graphiql-response')?.textContent ?? '';
      return wanted.some((n) => text.includes(`"eventName": "${n}"`));
    }, names);
    expect(await editorText('.graphiql-response .CodeMirror')).not.toContain('"errors"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Stopping the run ends the subscription on the server.
  await page.click('.graphiql-execute-button');
  await until(() => app.trailgraph.subscriptions.count === 0);
  expect(problems).toEqual([]);
});
