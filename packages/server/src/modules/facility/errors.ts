import { defineErrors, errorFactory } from '@vigil/core';

export const facilityErrors = defineErrors({
  'facility.site_not_found': { kind: 'not_found', description: 'No site has this id.' },
  'facility.building_not_found': { kind: 'not_found', description: 'No building has this id (on that site).' },
  'facility.floor_not_found': { kind: 'not_found', description: 'No floor has this id (in that building or site).' },
  'facility.zone_not_found': { kind: 'not_found', description: 'No zone has this id (on that site).' },
  'facility.door_not_found': { kind: 'not_found', description: 'No door has this id.' },
  'facility.device_not_found': { kind: 'not_found', description: 'No device has this id, serial number or MAC address (on that site).' },
  'facility.floor_plan_missing': { kind: 'not_found', description: 'The floor has no floor plan yet; upload one first.' },
  'facility.time_zone_unknown': {
    kind: 'invalid',
    description:
      'The time zone is not an IANA zone name such as `America/Chicago` or `Europe/Berlin` (abbreviations like `EST` are ambiguous).',
  },
  'facility.name_taken': {
    kind: 'conflict',
    description: 'Another site, building, floor, zone or door in the same scope already has this name (or a floor this level).',
  },
  'facility.site_mismatch': {
    kind: 'invalid',
    description: 'A referenced building, floor, zone or device belongs to another site (or the floor to another building).',
  },
  'facility.zone_type_unknown': {
    kind: 'invalid',
    description: 'The zone type is not in the zone-type catalogue (`GET /api/zone-types`).',
  },
  'facility.security_level_invalid': {
    kind: 'invalid',
    description:
      'The security level is neither a number from 1 to 5 nor one of the level names (public, staff, restricted, high, critical).',
  },
  'facility.door_zones_invalid': {
    kind: 'invalid',
    description: 'A door must lead from one zone to a different zone; at most one side may be outside (no zone).',
  },
  'facility.zone_outline_invalid': {
    kind: 'invalid',
    description:
      'The zone outline is not a drawable polygon on that floor: a corner lies outside the plan’s viewBox, the corners enclose no area, or the floor is not where the zone is.',
  },
  'facility.door_position_invalid': {
    kind: 'invalid',
    description: 'A door position needs the door to be on a floor, and must lie inside that floor plan’s drawing area.',
  },
  'facility.door_wiring_invalid': {
    kind: 'invalid',
    description:
      'A lock output, door-position or request-to-exit input or reader address was given without a controller, a reader address without its OSDP bus, a door read by its controller has no lock output, or the timing is out of range.',
  },
  'facility.device_kind_mismatch': {
    kind: 'invalid',
    description:
      'The referenced device is of the wrong kind for this role (a door reader must be a reader, a controller a controller or edge agent).',
  },
  'facility.reader_in_use': { kind: 'conflict', description: 'The reader already reads for another door (or the other side of this one).' },
  'facility.reader_address_in_use': {
    kind: 'conflict',
    description: 'That OSDP address on the controller’s bus is already the reader of another door (or of the other side of this one).',
  },
  'facility.controller_point_in_use': {
    kind: 'conflict',
    description: 'That output or input of the controller is already wired to another door.',
  },
  'facility.device_identity_invalid': {
    kind: 'invalid',
    description:
      'A device needs a serial number (1–64 letters, digits, `-_./:`) or a unicast MAC address (six octets); `details.field` names the bad one.',
  },
  'facility.device_already_registered': {
    kind: 'conflict',
    description: 'A device with this serial number or MAC address is already registered; `details.deviceId` names it.',
  },
  'facility.ip_address_invalid': { kind: 'invalid', description: 'The IP address is not a valid IPv4 or IPv6 address.' },
  'facility.in_use': {
    kind: 'conflict',
    description: 'The item cannot be removed while others refer to it; `details.usedBy` says what (remove or move those first).',
  },
  'facility.svg_invalid': {
    kind: 'invalid',
    description: 'The floor plan is not a well-formed SVG document with an `<svg>` root and a size (viewBox or width and height).',
  },
  'facility.svg_unsafe': {
    kind: 'invalid',
    description:
      'The floor plan contains active or external content (scripts, event handlers, foreignObject, external links, DOCTYPE/entities); `details.findings` lists each. Export the plan again without it.',
  },
  'facility.svg_too_large': {
    kind: 'too_large',
    description: 'The floor plan exceeds the size, element-count or nesting limit; simplify or split the drawing.',
  },
});

export const facilityError = errorFactory(facilityErrors);
