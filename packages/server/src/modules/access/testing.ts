/**
 * Test support: the access module over a test database with a real journal, next to the facility
 * and people services whose tables the snapshot is compiled from.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { EventCatalogue, newId, type VigilEvent } from '@vigil/core';
import { EDGE_HEADERS, contentDigest, signRequest, signingString, type EdgeEvent } from '@vigil/edge';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { Journal } from '../audit/index.js';
import { FacilityService, facilityEvents } from '../facility/index.js';
import { CredentialService, PersonService, TrainingService, peopleEvents } from '../people/index.js';
import { accessEvents } from './events.js';
import { createAccessModule, type AccessModule } from './module.js';

export const ACTOR = 'operator:0190a0e0-0000-7000-8000-0000000000ab';

export interface AccessUnderTest {
  readonly access: AccessModule;
  readonly facility: FacilityService;
  readonly persons: PersonService;
  readonly credentials: CredentialService;
  readonly training: TrainingService;
  readonly publicKey: KeyObject;
  /** Events handed to the bus after their transaction committed. */
  readonly published: VigilEvent[];
}

export function accessUnderTest(db: Kysely<Database>): AccessUnderTest {
  const catalogue = new EventCatalogue().register(...facilityEvents, ...peopleEvents, ...accessEvents);
  const journal = new Journal({ catalogue });
  const clock = () => new Date();
  const published: VigilEvent[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const deps = { db, record: journal.record, clock };
  const access = createAccessModule(
    { ...deps, publish: (events) => published.push(...events) },
    { snapshotSigningKey: { privateKey, publicKey }, validate: (draft) => catalogue.validate(draft), snapshotRefreshMs: 0 },
  );
  return {
    access,
    facility: new FacilityService(deps),
    persons: new PersonService(deps),
    credentials: new CredentialService(deps),
    training: new TrainingService(deps),
    publicKey,
    published,
  };
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix} ${process.pid}-${++counter}`;
}

/** An agent key pair and requests signed with it, as the agent's client sends them. */
export class TestAgentKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  request(keyId: string, method: string, url: string, body = '', options: { at?: Date; nonce?: string } = {}) {
    const timestamp = (options.at ?? new Date()).toISOString();
    const nonce = options.nonce ?? randomBytes(16).toString('base64url');
    const digest = contentDigest(body);
    return {
      method,
      url,
      headers: {
        [EDGE_HEADERS.key]: keyId,
        [EDGE_HEADERS.timestamp]: timestamp,
        [EDGE_HEADERS.nonce]: nonce,
        [EDGE_HEADERS.digest]: digest,
        [EDGE_HEADERS.signature]: signRequest(this.privateKey, signingString(method, url, timestamp, nonce, digest)),
      },
    };
  }
}

/** A decision event as an agent records it. */
export function grantEvent(site: string, keyId: string, door: string, subject: string | null = null): EdgeEvent {
  return {
    id: newId(),
    type: 'access.granted',
    at: new Date().toISOString(),
    site,
    source: `edge:${keyId}`,
    subject,
    zone: null,
    door,
    correlationId: null,
    data: {
      reason: 'access.granted',
      rule: 'access_group',
      request: 'card',
      direction: 'entry',
      reader: 'ward-in',
      credentialId: null,
      accessGroupId: null,
      scheduleId: null,
      detail: null,
      signals: [],
      factors: ['card'],
      unknownCard: null,
      snapshotVersion: 1,
    },
  };
}
