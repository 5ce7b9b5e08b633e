/**
 * The console is served at `/` without signing in (it holds no data), deep links get the app's
 * index.html, hashed assets are cached for good, and unknown API paths still answer the API's 404.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './test-harness.js';

describe('console serving', () => {
  let h: Harness;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(dir), 'outside-console.txt'), 'secret');
    h = await startHarness({ settings: { http: { consoleDir: dir } } });
  });
  after(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(dir), 'outside-console.txt'), { force: true });
  });

  const get = (url: string) => h.app.api.inject({ method: 'GET', url });

  it('serves index.html at / and for deep links, never cached', async () => {
    for (const url of ['/', '/alarms/0196b2f0-0000-7000-8000-000000000000', '/journal?door=x']) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /<title>console<\/title>/, url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
    }
  });

  it('serves hashed assets with a long cache lifetime and the security headers', async () => {
    const response = await get('/assets/index-abc123.js');
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, 'console.log(1)');
    assert.match(String(response.headers['cache-control']), /immutable/);
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });

  it('keeps unknown API paths a 404 problem and never serves files outside the console directory', async () => {
    const api = await get('/api/no-such-thing');
    assert.equal(api.statusCode, 404);
    assert.equal((JSON.parse(api.body) as { code: string }).code, 'request.not_found');
    const escape = await get('/%2e%2e/outside-console.txt');
    assert.notEqual(escape.body, 'secret');
  });
});
