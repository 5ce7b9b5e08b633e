/**
 * The operator console in a real browser (Debian's Chromium, headless) against the real server
 * (`vigil quickstart`, SQLite), with real door controller agents (`EdgeAgent`, simulated I/O) in
 * this process.
 *
 * 1. Alarm latency: a door is forced open at the agent; from the moment the agent's request
 *    carrying `door.forced_open` leaves for the server (the event entering the server) to the
 *    frame in which the alarm's row appears in the queue (a MutationObserver sees the row, the
 *    next animation frame draws it). Baseline: the same alarm's `alarm.raised` message arriving
 *    on the page's WebSocket. Both clocks are wall clocks of the same machine.
 * 2. Floor plan with 1,000 doors while 100 door states change per second (doors forced open and
 *    closed at their agent, through the server and the live stream): frame-to-frame times from
 *    requestAnimationFrame, p50/p99 and the share of frames dropped (a gap longer than 1.5
 *    refresh intervals counts each missed interval). Baseline: the same page with no changes.
 *
 *   npx tsx bench/console.bench.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { browserSkipReason, firstSignIn, launchBrowser, newPage, startVigil } from '../packages/web/e2e/harness.js';
import {
  ConsoleApi,
  disableDefaultRule,
  eventually,
  forcedDoorAlarmRule,
  sampleSite,
  startAgent,
} from '../packages/web/e2e/operations-world.js';
import { buildLargeFloor } from './console-floor.js';
import type { BenchFigure } from './figure.js';

const ALARM_GOAL_MS = 100;
const DOORS = 1000;
const CHANGES_PER_SECOND = 100;
const REFRESH_MS = 1000 / 60;

/** Installed in the page before the console loads: notes WebSocket arrivals and new alarm rows. */
const INSTRUMENT = `
(() => {
  const bench = { alarmMessages: {}, rows: {}, doorMessages: 0 };
  window.__bench = bench;
  const now = () => performance.timeOrigin + performance.now();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      // Registered before the console's own handler, so it sees each message first.
      this.addEventListener('message', (event) => {
        const at = now();
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (message.kind === 'door') bench.doorMessages++;
        if (message.kind === 'alarm' && message.type === 'alarm.raised' && message.alarm)
          bench.alarmMessages[message.alarm.id] = { at, trigger: message.alarm.triggerEventId };
      });
    }
  };
  const seen = (node, found) => {
    if (!(node instanceof Element)) return;
    if (node.matches('li[data-alarm-id]')) found.push(node.getAttribute('data-alarm-id'));
    for (const row of node.querySelectorAll('li[data-alarm-id]')) found.push(row.getAttribute('data-alarm-id'));
  };
  new MutationObserver((records) => {
    const found = [];
    for (const record of records) for (const node of record.addedNodes) seen(node, found);
    const fresh = found.filter((id) => !(id in bench.rows));
    if (fresh.length === 0) return;
    for (const id of fresh) bench.rows[id] = null;
    requestAnimationFrame(() => { const at = now(); for (const id of fresh) bench.rows[id] = at; });
  }).observe(document, { childList: true, subtree: true });
})();
`;

/** Frame gaps measured in the page over `seconds`. */
const FRAMES = (seconds: number) => `
new Promise((resolve) => {
  const gaps = [];
  let last = null;
  const end = performance.now() + ${seconds * 1000};
  const step = (t) => {
    if (last !== null) gaps.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(step); else resolve(gaps);
  };
  requestAnimationFrame(step);
})`;

/** Renderer main-thread time (task, script, layout, style) over a measurement, from the DevTools protocol. */
async function mainThread(page: Page, measure: () => Promise<number[]>): Promise<{ gaps: number[]; busy: number; script: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: value('TaskDuration'), script: value('ScriptDuration'), at: performance.now() };
  };
  const before = await read();
  const gaps = await measure();
  const after = await read();
  await cdp.detach();
  const wall = (after.at - before.at) / 1000;
  return { gaps, busy: (100 * (after.task - before.task)) / wall, script: (100 * (after.script - before.script)) / wall };
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function frameStats(gaps: readonly number[]) {
  const missed = gaps.reduce((sum, gap) => sum + (gap > 1.5 * REFRESH_MS ? Math.round(gap / REFRESH_MS) - 1 : 0), 0);
  return { p50: percentile(gaps, 50), p99: percentile(gaps, 99), dropped: (100 * missed) / (missed + gaps.length) };
}

const round = (n: number) => Math.round(n * 100) / 100;
const figure = (name: string, value: number, unit: string, baseline: number | null, goal: string): BenchFigure => ({
  name,
  value: round(value),
  unit,
  baseline: baseline === null ? null : round(baseline),
  ratio: baseline === null || baseline === 0 ? null : round(value / baseline),
  goal,
});

/** The ids of `door.forced_open` events in an agent delivery, noted when the request leaves. */
function noteDeliveries(sentAt: Map<string, number>): typeof fetch {
  return (input, init) => {
    const at = performance.timeOrigin + performance.now();
    if (String(input instanceof Request ? input.url : input).endsWith('/api/edge/events') && typeof init?.body === 'string') {
      const { events } = JSON.parse(init.body) as { events: { id: string; type: string }[] };
      for (const event of events) if (event.type === 'door.forced_open') sentAt.set(event.id, at);
    }
    return fetch(input, init);
  };
}

async function alarmLatency(page: Page, api: ConsoleApi, url: string, alarms: number): Promise<{ row: number[]; socket: number[] }> {
  const site = await sampleSite(api);
  await forcedDoorAlarmRule(api, site.siteId);
  const sentAt = new Map<string, number>();
  const agent = await startAgent(
    api,
    url,
    site.siteId,
    site.doors.map((d) => d.id),
    { fetch: noteDeliveries(sentAt) },
  );
  try {
    await page.goto('/');
    await page.getByText('No open alarms. All quiet.').waitFor();
    for (let i = 0; i < alarms; i++) {
      const door = site.doors[i % site.doors.length]!;
      agent.setDoorOpen(door.id, true);
      await page.waitForFunction(
        (wanted) =>
          Object.values((globalThis as unknown as { __bench: { rows: Record<string, number | null> } }).__bench.rows).filter(
            (t) => t !== null,
          ).length >= wanted,
        i + 1,
        { timeout: 15_000 },
      );
      agent.setDoorOpen(door.id, false);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const seen = await page.evaluate<{
      alarmMessages: Record<string, { at: number; trigger: string | null }>;
      rows: Record<string, number>;
    }>('window.__bench');
    const row: number[] = [];
    const socket: number[] = [];
    for (const [alarmId, message] of Object.entries(seen.alarmMessages)) {
      const sent = message.trigger ? sentAt.get(message.trigger) : undefined;
      const drawn = seen.rows[alarmId];
      if (sent === undefined || drawn === undefined) continue;
      row.push(drawn - sent);
      socket.push(message.at - sent);
    }
    if (row.length < alarms) throw new Error(`only ${row.length} of ${alarms} alarms could be timed end to end`);
    // Handled, as an operator would: the alarm bell stops ringing before the frames are measured.
    for (const alarmId of Object.keys(seen.alarmMessages)) await api.post(`/api/alarms/${alarmId}/acknowledge`);
    return { row, socket };
  } finally {
    await agent.stop();
  }
}

async function floorFrames(page: Page, api: ConsoleApi, url: string, seconds: number) {
  // This measures door states drawn on the plan. Every change below forces a door open, and the
  // installation's default rules would make each one an alarm: a storm of 100 forced-door alarms a
  // second is another load than "100 door states change per second", so they are off here.
  await disableDefaultRule(api, 'door.forced_open');
  await disableDefaultRule(api, 'door.held_open');
  const floor = await buildLargeFloor(api, page.context().request, DOORS);
  const agent = await startAgent(api, url, floor.siteId, floor.doorIds, { heartbeatSeconds: 5 });
  try {
    await page.evaluate(`localStorage.setItem('vigil.site', ${JSON.stringify(floor.siteId)})`);
    await page.goto(`/plans/${floor.floorId}`);
    await page
      .locator('[data-door-id]')
      .nth(DOORS - 1)
      .waitFor();
    await eventually(
      'every door reported by its controller',
      async () => (await page.locator('[data-door-id][data-look="locked"]').count()) === DOORS,
      60_000,
    );
    const idle = await mainThread(page, async () => await page.evaluate<number[]>(FRAMES(seconds)));

    // Each change forces a door open or closes it again; changes due by the clock are all made,
    // so a late timer does not lower the rate.
    const open = new Set<string>();
    let made = 0;
    const driveStart = performance.now();
    const driver = setInterval(() => {
      const due = Math.floor(((performance.now() - driveStart) / 1000) * CHANGES_PER_SECOND);
      for (; made < due; made++) {
        const doorId = floor.doorIds[made % floor.doorIds.length]!;
        agent.setDoorOpen(doorId, !open.has(doorId));
        if (open.has(doorId)) open.delete(doorId);
        else open.add(doorId);
      }
    }, 5);
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const before = { messages: await page.evaluate<number>('window.__bench.doorMessages'), made, at: performance.now() };
      const busy = await mainThread(page, async () => await page.evaluate<number[]>(FRAMES(seconds)));
      const elapsed = (performance.now() - before.at) / 1000;
      const messages = (await page.evaluate<number>('window.__bench.doorMessages')) - before.messages;
      return { idle, busy, messagesPerSecond: messages / elapsed, changesPerSecond: (made - before.made) / elapsed };
    } finally {
      clearInterval(driver);
    }
  } finally {
    await agent.stop();
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchFigure[]> {
  const skip = browserSkipReason();
  if (skip?.startsWith('Chromium')) throw new Error(`the console benchmark needs a browser: ${skip}`);
  const root = path.resolve(import.meta.dirname, '..');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', '@vigil/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('the console did not build (npm run build -w @vigil/web)');

  const vigil = await startVigil();
  const browser = await launchBrowser();
  try {
    const { context, page } = await newPage(browser, vigil);
    await firstSignIn(page, vigil);
    await context.addInitScript({ content: INSTRUMENT });
    const api = ConsoleApi.of(context);

    const alarms = quick ? 40 : 200;
    const latency = await alarmLatency(page, api, vigil.url, alarms);
    console.log(
      `alarm latency over ${alarms} alarms: row drawn p50 ${percentile(latency.row, 50).toFixed(1)} ms, p99 ${percentile(latency.row, 99).toFixed(1)} ms; ` +
        `WebSocket message p50 ${percentile(latency.socket, 50).toFixed(1)} ms, p99 ${percentile(latency.socket, 99).toFixed(1)} ms`,
    );

    const seconds = quick ? 5 : 15;
    const frames = await floorFrames(page, api, vigil.url, seconds);
    const idle = frameStats(frames.idle.gaps);
    const busy = frameStats(frames.busy.gaps);
    console.log(
      `floor plan, ${DOORS} doors: idle p50 ${idle.p50.toFixed(1)} / p99 ${idle.p99.toFixed(1)} ms, ${idle.dropped.toFixed(1)} % dropped; ` +
        `${frames.changesPerSecond.toFixed(0)} changes/s at the agent, ${frames.messagesPerSecond.toFixed(0)} door messages/s in the page: p50 ${busy.p50.toFixed(1)} / p99 ${busy.p99.toFixed(1)} ms, ${busy.dropped.toFixed(1)} % dropped; ` +
        `page main thread busy ${frames.idle.busy.toFixed(1)} % idle, ${frames.busy.busy.toFixed(1)} % (script ${frames.busy.script.toFixed(1)} %) with changes`,
    );

    const goal = 'p99 < 100 ms; baseline: the alarm’s WebSocket message arriving in the same page';
    const floorGoal = `smooth at ${CHANGES_PER_SECOND} changes/s (frames of ${REFRESH_MS.toFixed(1)} ms); baseline: the same page idle`;
    return [
      figure('console: event in → alarm row drawn, p50', percentile(latency.row, 50), 'ms', percentile(latency.socket, 50), goal),
      figure(
        'console: event in → alarm row drawn, p99',
        percentile(latency.row, 99),
        'ms',
        percentile(latency.socket, 99),
        `${goal} (goal ${ALARM_GOAL_MS} ms)`,
      ),
      figure(`console: floor plan ${DOORS} doors, frame time p50`, busy.p50, 'ms', idle.p50, floorGoal),
      figure(`console: floor plan ${DOORS} doors, frame time p99`, busy.p99, 'ms', idle.p99, floorGoal),
      figure(`console: floor plan ${DOORS} doors, dropped frames`, busy.dropped, '%', idle.dropped, floorGoal),
      figure(`console: floor plan ${DOORS} doors, page main thread busy`, frames.busy.busy, '% of time', frames.idle.busy, floorGoal),
      figure(
        'console: door messages reaching the page',
        frames.messagesPerSecond,
        'per s',
        frames.changesPerSecond,
        'baseline: door changes made at the agent per second',
      ),
    ];
  } finally {
    await browser.close();
    await vigil.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline ?? '—'}, ratio ${f.ratio ?? '—'})`);
}
