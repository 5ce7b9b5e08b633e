/**
 * `vigil sim` hands its arguments to the simulator's own process and answers with its output and
 * exit code, bad input included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runVigil } from './cli-testing.js';

/** A port nothing listens on, on a development machine or in CI (and one fetch does not refuse to try). */
const NOT_RUNNING = 'http://127.0.0.1:2';

describe('vigil sim', { timeout: 120_000 }, () => {
  it('lists the scenarios through the simulator', async () => {
    const { code, stdout } = await runVigil(['sim', 'list'], {});
    assert.equal(code, 0);
    for (const name of ['forced-vault-door', 'or-tailgating', 'terminated-badge', 'cloned-card', 'data-centre-denials']) {
      assert.match(stdout, new RegExp(`^${name} `, 'm'));
    }
  });

  it('refuses an unknown scenario with its code, naming the valid ones', async () => {
    const { code, stderr } = await runVigil(['sim', 'scenario', 'alien-invasion', '--token', `vgl_${'A'.repeat(43)}`], {});
    assert.equal(code, 2);
    assert.match(stderr, /^error simulator\.unknown_scenario: No scenario "alien-invasion"\. Scenarios: forced-vault-door, /m);
  });

  it('says Vigil is not running instead of waiting for it', async () => {
    const url = NOT_RUNNING;
    const { code, stderr } = await runVigil(['sim', 'run', '--url', url, '--token', `vgl_${'A'.repeat(43)}`, '--preset', 'clinic'], {});
    assert.equal(code, 2);
    assert.match(stderr, /^error simulator\.vigil_unreachable: Vigil at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)/m);
  });
});
