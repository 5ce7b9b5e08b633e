/**
 * End-to-end harness: the real server started the way an operator starts it (`vigil quickstart
 * --no-demo` in its own process, embedded SQLite in a temporary data directory, the built console
 * served at `/`), and Debian's Chromium driven by playwright-core. Nothing is stubbed: the browser
 * talks HTTP and WebSocket to the server, which writes its real journal.
 *
 * Tests skip (with the reason) when Chromium or the built console is missing; `npm test` builds the
 * console first and `.ci/run` installs Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { URI, TOTP } from 'otpauth';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CONSOLE_DIR = path.join(ROOT, 'packages/web/dist');
export const SCREENSHOT_DIR = path.join(ROOT, 'packages/web/test-output');
const CHROMIUM = process.env.VIGIL_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserSkipReason(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set VIGIL_TEST_CHROMIUM)`;
  if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) return 'the console is not built (npm run build)';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningVigil {
  readonly url: string;
  readonly dataDir: string;
  readonly admin: { username: string; oneTimePassword: string };
  /** Everything the server printed, for diagnosing a failed test. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `vigil quickstart --no-demo` on a free port and waits until it prints the admin's one-time password. */
export async function startVigil(env: Record<string, string> = {}): Promise<RunningVigil> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/main.ts', 'quickstart', '--no-demo'], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_HTTP_PORT: String(port), VIGIL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  let password: string | undefined;
  while (!password) {
    password = /one-time password: (\S+)/.exec(output)?.[1];
    if (password) break;
    if (child.exitCode !== null) throw new Error(`vigil quickstart exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vigil quickstart did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    admin: { username: 'admin', oneTimePassword: password },
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // The machine's network is closed: without these flags Chromium's own background connections
    // are refused many at a time and slow every start.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (own cookies) on the server, with phone or desktop viewport. */
export async function newPage(
  browser: Browser,
  vigil: RunningVigil,
  viewport = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: vigil.url, viewport });
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface SignedInAdmin {
  username: string;
  password: string;
  totp: TOTP;
  /** The 30-second TOTP step last used: the server accepts each code once. */
  lastStep: number;
}

const stepOf = (ms: number) => Math.floor(ms / 30_000);

/** A code the server has not seen yet (waits for the next step when this one was used). */
async function freshCode(who: SignedInAdmin): Promise<string> {
  while (stepOf(Date.now()) <= who.lastStep) await new Promise((r) => setTimeout(r, 250));
  who.lastStep = stepOf(Date.now());
  return who.totp.generate({ timestamp: Date.now() });
}

const CHOSEN_PASSWORD = 'correct horse battery staple 7';

/**
 * The first sign-in exactly as a new administrator does it in the console: one-time password, a
 * new password, TOTP enrolment (the code computed from the otpauth URI the page shows), then a
 * fresh sign-in with password and code. Returns what later sign-ins need.
 */
export async function firstSignIn(page: Page, vigil: RunningVigil): Promise<SignedInAdmin> {
  await page.goto('/');
  await page.getByLabel('User name').fill(vigil.admin.username);
  await page.getByLabel('Password').fill(vigil.admin.oneTimePassword);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByLabel('One-time password').fill(vigil.admin.oneTimePassword);
  await page.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORD);
  await page.getByRole('button', { name: 'Save password' }).click();

  // Changing the password ends every other session but this one; enrolment comes next.
  await page.getByRole('button', { name: 'Show the enrolment key' }).click();
  const uri = await page.getByTestId('otpauth-uri').textContent();
  const totp = URI.parse(uri ?? '');
  if (!(totp instanceof TOTP)) throw new Error(`enrolment URI is not TOTP: ${uri}`);
  const admin: SignedInAdmin = { username: vigil.admin.username, password: CHOSEN_PASSWORD, totp, lastStep: -1 };
  await page.getByLabel('Code', { exact: true }).fill(await freshCode(admin));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return admin;
}

/** A later sign-in with password and TOTP code. */
export async function signIn(page: Page, who: SignedInAdmin): Promise<void> {
  await page.goto('/');
  await page.getByLabel('User name').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code from your authenticator app').fill(await freshCode(who));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
