/**
 * CAP 1.2 alerts for emergency plans, validated against the OASIS schema with xmllint (Debian's
 * libxml2-utils): a fire alert, its cancellation, a drill (status Exercise), and hostile text
 * escaped. Skips with the reason when the shared fixture or xmllint is missing (outside CI).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import type { Activation } from '../emergency/model.js';
import { capAlert, capFeed, capTime } from './cap.js';

const XSD = path.resolve(import.meta.dirname, '../../../../../../../shared/fixtures/cap/cap12.xsd');
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
const SKIP = !fs.existsSync(XSD)
  ? `CAP schema fixture absent (${XSD}); run where ../shared/fixtures exists`
  : !xmllint && process.env['CI'] !== 'true'
    ? 'xmllint not installed (Debian package libxml2-utils)'
    : false;

function validate(xml: string): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cap-'));
  try {
    const file = path.join(dir, 'alert.xml');
    fs.writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', XSD, file], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const activation: Activation = {
  id: '0190c6a0-0000-7000-8000-00000000ac01',
  planId: '0190c6a0-0000-7000-8000-00000000a001',
  siteId: '0190c6a0-0000-7000-8000-000000000001',
  kind: 'fire',
  drill: false,
  state: 'active',
  trigger: 'rule',
  triggerEventId: '0190c6a0-0000-7000-8000-00000000e001',
  requestedBy: 'rule:x',
  requestedAt: '2026-03-02T08:00:00.123Z',
  confirmedBy: null,
  startedAt: '2026-03-02T08:00:00.123Z',
  clearedBy: null,
  clearedAt: null,
  reason: null,
};
const ctx = { sender: 'vigil@hospital.example', siteName: 'North Campus', planName: 'Fire — Building A', area: 'Building A', doors: 42 };

function text(xml: string, tag: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return Array.from(doc.getElementsByTagName(tag)).map((e) => e.textContent ?? '');
}

describe('CAP 1.2 alert feed', { skip: SKIP }, () => {
  it('writes times with a numeric offset and no fractions', () => {
    assert.equal(capTime('2026-03-02T08:00:00.123Z'), '2026-03-02T08:00:00+00:00');
  });

  it('produces a fire alert that validates against the CAP 1.2 schema', () => {
    const xml = capAlert(activation, ctx);
    const result = validate(xml);
    assert.ok(result.ok, result.output);
    assert.deepEqual(text(xml, 'msgType'), ['Alert']);
    assert.deepEqual(text(xml, 'status'), ['Actual']);
    assert.deepEqual(text(xml, 'category'), ['Fire']);
    assert.deepEqual(text(xml, 'responseType'), ['Evacuate']);
  });

  it('cancels the alert when the plan clears, referencing it', () => {
    const xml = capAlert({ ...activation, state: 'cleared', clearedAt: '2026-03-02T08:40:00.000Z', clearedBy: 'operator:x' }, ctx);
    const result = validate(xml);
    assert.ok(result.ok, result.output);
    assert.deepEqual(text(xml, 'msgType'), ['Cancel']);
    assert.deepEqual(text(xml, 'references'), [`vigil@hospital.example,vigil-${activation.id},2026-03-02T08:00:00+00:00`]);
  });

  it('marks a drill as an exercise, for every plan kind', () => {
    for (const kind of ['fire', 'lockdown', 'code_pink', 'shelter_in_place'] as const) {
      const xml = capAlert({ ...activation, kind, drill: true }, ctx);
      const result = validate(xml);
      assert.ok(result.ok, `${kind}: ${result.output}`);
      assert.deepEqual(text(xml, 'status'), ['Exercise']);
    }
  });

  it('escapes hostile names and still validates', () => {
    const xml = capAlert(activation, { ...ctx, siteName: 'A & B <script>"x"</script>', planName: ']]> & <alert>' });
    const result = validate(xml);
    assert.ok(result.ok, result.output);
    assert.ok(text(xml, 'senderName')[0]!.includes('A & B <script>'));
  });

  it('lists alerts in an Atom feed', () => {
    const feed = capFeed(
      { id: 'urn:vigil:cap', title: 'Vigil alerts', self: 'https://vigil.example/api/emergency/cap', updated: '2026-03-02T08:00:00Z' },
      [
        {
          id: `urn:uuid:${activation.id}`,
          title: 'Fire',
          updated: '2026-03-02T08:00:00Z',
          href: `https://vigil.example/api/emergency/cap/${activation.id}`,
        },
      ],
    );
    assert.deepEqual(text(feed, 'title'), ['Vigil alerts', 'Fire']);
  });
});
