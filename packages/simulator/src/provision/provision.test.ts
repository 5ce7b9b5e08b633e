/**
 * Provisioning against a real Vigil over HTTP: the clinic arrives whole (facility with plans,
 * policy, people with cards, training and access, a policy that compiles into a snapshot), a second
 * run finds everything and creates nothing, and an unreachable Vigil, a refused or too narrow
 * token, and a problem Vigil reports each end provisioning with a code that says which it was.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { generateHospital } from '../hospital/index.js';
import { VigilClient } from '../live/vigil-client.js';
import type { HospitalModel, ProvisionedHospital } from '../model.js';
import { startLiveVigil, type LiveVigil } from '../scenarios/live-vigil.js';
import { PROVISIONING_PERMISSIONS } from './permissions.js';
import { provisionHospital } from './provision.js';

async function refusal(run: () => Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await run();
  } catch (e) {
    assert.ok(isVigilError(e), `expected a VigilError, got ${String(e)}`);
    return { code: e.code, message: e.message, details: { ...e.details } };
  }
  assert.fail('expected provisioning to fail');
}

/** What a user of Vigil would count on the site: every list the provisioning wrote to. */
async function census(api: VigilClient, siteId: string) {
  const count = async (path: string, query: Record<string, string> = {}) => (await api.all<unknown>(path, query)).length;
  return {
    sites: await count('/api/sites'),
    buildings: await count('/api/buildings', { site: siteId }),
    floors: await count('/api/floors', { site: siteId }),
    zones: await count('/api/zones', { site: siteId }),
    doors: await count('/api/doors', { site: siteId }),
    schedules: await count(`/api/sites/${siteId}/access-schedules`),
    holidays: await count(`/api/sites/${siteId}/holidays`),
    groups: await count('/api/access-groups', { siteId }),
    departments: await count('/api/people/departments'),
    jobRoles: await count('/api/people/job-roles'),
    persons: await count('/api/people/persons', { site: siteId }),
  };
}

describe('provisionHospital against a running Vigil', () => {
  let vigil: LiveVigil;
  let token: string;
  let api: VigilClient;
  let model: HospitalModel;
  let first: ProvisionedHospital;

  before(async () => {
    vigil = await startLiveVigil();
    token = await vigil.issueToken(PROVISIONING_PERMISSIONS);
    api = new VigilClient({ baseUrl: vigil.url, token });
    model = generateHospital({ preset: 'clinic', seed: 11 });
    first = await provisionHospital(model, { baseUrl: vigil.url, apiToken: token });
  });
  after(async () => {
    await vigil.close();
  });

  it('loads the whole clinic, with a token holding exactly PROVISIONING_PERMISSIONS', async () => {
    assert.deepEqual(await census(api, first.siteId), {
      sites: 1,
      buildings: model.buildings.length,
      floors: model.floors.length,
      zones: model.zones.length,
      doors: model.doors.length,
      schedules: model.schedules.length,
      holidays: model.site.holidays.length,
      groups: model.accessGroups.length,
      departments: model.departments.length,
      jobRoles: model.jobRoles.length,
      persons: model.persons.length,
    });
    for (const part of Object.values(first.ids)) assert.ok(Object.values(part).every((id) => /^[0-9a-f-]{36}$/.test(id)));
    assert.equal(Object.keys(first.ids.persons).length, model.persons.length);

    const floors = await api.all<{ id: string; plan: { viewBox: { width: number } } | null }>('/api/floors', { site: first.siteId });
    for (const floor of model.floors) {
      assert.equal(floors.find((f) => f.id === first.ids.floors[floor.key])?.plan?.viewBox.width, floor.width, `${floor.key} has its plan`);
    }
    const door = model.doors.find((d) => d.from !== null && d.hasExitReader)!;
    const stored = await api.get<{ name: string; toZoneId: string; fromZoneId: string; position: { x: number; y: number } }>(
      `/api/doors/${first.ids.doors[door.key]}`,
    );
    assert.deepEqual(stored, {
      ...stored,
      name: door.name,
      toZoneId: first.ids.zones[door.into],
      fromZoneId: first.ids.zones[door.from!],
      position: door.position,
    });
  });

  it('gives each person their cards, training and access groups', async () => {
    const pharmacist = model.persons.find((p) => p.jobRoles.includes('pharmacist') && p.cards.length > 0)!;
    const id = first.ids.persons[pharmacist.key]!;
    const access = await api.get<{ groupIds: string[] }>(`/api/people/persons/${id}/access`);
    assert.deepEqual(access.groupIds.sort(), pharmacist.accessGroups.map((g) => first.ids.accessGroups[g]).sort());
    const training = await api.all<{ competency: string }>(`/api/people/persons/${id}/training`);
    assert.deepEqual(training.map((t) => t.competency).sort(), pharmacist.training.map((t) => t.competency).sort());
    const cards = await api.all<{ card: { format: string; facilityCode: number; cardNumberMasked: string } }>(
      `/api/people/persons/${id}/credentials`,
    );
    const shown = (c: { format: string; facilityCode: number }) => `${c.format}/${c.facilityCode}`;
    assert.deepEqual(cards.map((c) => shown(c.card)).sort(), pharmacist.cards.map(shown).sort());
    // Vigil shows only the last digits of a card number.
    for (const { card } of cards) {
      assert.ok(
        pharmacist.cards.some((c) => String(c.cardNumber).endsWith(card.cardNumberMasked.replace(/^\*+/, ''))),
        card.cardNumberMasked,
      );
    }
  });

  it('leaves Vigil a policy it compiles into a snapshot for the door controllers', async () => {
    const status = await api.get<{ version: number | null; compileError: unknown }>(`/api/sites/${first.siteId}/access-snapshot`);
    assert.equal(status.compileError, null);
    assert.ok(status.version !== null && status.version >= 1);
  });

  it('finds everything on a second run: the same ids, nothing created twice', async () => {
    const before = await census(api, first.siteId);
    const person = model.persons.find((p) => p.training.length > 0)!;
    const again = await provisionHospital(model, { baseUrl: vigil.url, apiToken: token });
    assert.deepEqual(again.ids, first.ids);
    assert.equal(again.siteId, first.siteId);
    assert.deepEqual(await census(api, first.siteId), before);
    const training = await api.all<unknown>(`/api/people/persons/${first.ids.persons[person.key]}/training`);
    assert.equal(training.length, person.training.length);
  });

  it('refuses to take a different hospital with the same name for this one', async () => {
    const impostor: HospitalModel = {
      ...model,
      site: { ...model.site, timeZone: model.site.timeZone === 'America/Chicago' ? 'America/Denver' : 'America/Chicago' },
    };
    const { code, message } = await refusal(() => provisionHospital(impostor, { baseUrl: vigil.url, apiToken: token }));
    assert.equal(code, 'simulator.site_conflict');
    assert.match(message, new RegExp(model.site.name));
  });

  it('carries the code of a problem Vigil reports', async () => {
    const broken: HospitalModel = {
      ...model,
      site: { ...model.site, name: `${model.site.name} Annex` },
      zones: model.zones.map((z, i) => (i === 0 ? { ...z, type: 'car_park' as HospitalModel['zones'][number]['type'] } : z)),
    };
    const { code } = await refusal(() => provisionHospital(broken, { baseUrl: vigil.url, apiToken: token }));
    assert.equal(code, 'request.invalid');
  });

  it('says when the token is refused, or lacks a permission, and which', async () => {
    const unknown = `vgl_${'A'.repeat(43)}`;
    assert.equal(
      (await refusal(() => provisionHospital(model, { baseUrl: vigil.url, apiToken: unknown }))).code,
      'simulator.credentials_refused',
    );
    const narrow = await vigil.issueToken(['account.self', 'facility.read', 'facility.manage']);
    const { code, details } = await refusal(() => provisionHospital(model, { baseUrl: vigil.url, apiToken: narrow }));
    assert.equal(code, 'simulator.permissions_missing');
    assert.deepEqual(details['missing'], ['people.read', 'people.manage', 'credentials.read', 'credentials.manage', 'system.admin']);
  });
});

describe('provisionHospital when Vigil cannot be reached', () => {
  const model = generateHospital({ preset: 'clinic', seed: 1 });

  it('says so when nothing listens at the address', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { code, message } = await refusal(() => provisionHospital(model, { baseUrl: `http://127.0.0.1:${port}`, apiToken: 'vgl_x' }));
    assert.equal(code, 'simulator.vigil_unreachable');
    assert.match(message, new RegExp(`127.0.0.1:${port}`));
  });

  it('gives up after the timeout when something listens but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const { code } = await refusal(() =>
        provisionHospital(model, { baseUrl: `http://127.0.0.1:${port}`, apiToken: 'vgl_x', timeoutMs: 300 }),
      );
      assert.equal(code, 'simulator.vigil_unreachable');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
