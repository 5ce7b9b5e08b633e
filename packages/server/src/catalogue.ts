/**
 * Every event type Vigil records, from every module: the journal validates appends against it,
 * and verification reads from it which further subjects each event names.
 */
import { EventCatalogue } from '@vigil/core';
import { mqttDeviceEvents } from './adapters/mqtt/index.js';
import { accessEvents } from './modules/access/index.js';
import { alarmEvents } from './modules/alarms/index.js';
import { auditEvents } from './modules/audit/index.js';
import { automationEvents } from './modules/automation/index.js';
import { facilityEvents } from './modules/facility/index.js';
import { identityEvents } from './modules/identity/index.js';
import { peopleEvents } from './modules/people/index.js';

export function eventCatalogue(): EventCatalogue {
  return new EventCatalogue().register(
    ...auditEvents,
    ...identityEvents,
    ...mqttDeviceEvents,
    ...facilityEvents,
    ...peopleEvents,
    ...accessEvents,
    ...alarmEvents,
    ...automationEvents,
  );
}
