/**
 * Facts reported by MQTT sensors. Where the device sits (site, zone, door) travels in the event
 * envelope and the reporting device is the source (`device:<serial>`), so `data` carries only what
 * the reading itself says.
 */
import { defineEvent, Type } from '@vigil/core';

const closed = { additionalProperties: false } as const;
const Nothing = Type.Object({}, closed);
const Percent = Type.Number({ minimum: 0, maximum: 100 });

export const doorContactOpened = defineEvent('door.contact_opened', 'A door-position contact reported the door open.', Nothing);
export const doorContactClosed = defineEvent('door.contact_closed', 'A door-position contact reported the door closed.', Nothing);
export const panicPressed = defineEvent('panic.pressed', 'A panic button was pressed.', Nothing);
export const duressPressed = defineEvent('duress.pressed', 'A duress (silent alarm) button was pressed.', Nothing);
export const glassBreakDetected = defineEvent('glass_break.detected', 'A glass-break sensor detected breaking glass.', Nothing);
export const motionDetected = defineEvent('motion.detected', 'A motion sensor detected movement.', Nothing);

export const firePanelAlarmRaised = defineEvent(
  'fire_panel.alarm_raised',
  'The fire-alarm panel input went into alarm (the panel, not Vigil, is the life-safety authority).',
  Type.Object(
    { input: Type.Optional(Type.String({ maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 200 })) },
    closed,
  ),
);
export const firePanelAlarmCleared = defineEvent(
  'fire_panel.alarm_cleared',
  'The fire-alarm panel input returned to normal.',
  Type.Object({ input: Type.Optional(Type.String({ maxLength: 100 })) }, closed),
);

export const nurseCallPlaced = defineEvent(
  'nurse_call.placed',
  'A nurse call was placed from a room or bed station.',
  Type.Object(
    {
      room: Type.Optional(Type.String({ maxLength: 50 })),
      bed: Type.Optional(Type.String({ maxLength: 50 })),
      priority: Type.Optional(
        Type.Union([Type.Literal('routine'), Type.Literal('staff_assist'), Type.Literal('emergency'), Type.Literal('code_blue')]),
      ),
    },
    closed,
  ),
);

export const fridgeTemperatureReported = defineEvent(
  'fridge.temperature_reported',
  'A medication fridge reported its temperature (degrees Celsius).',
  Type.Object({ temperatureC: Type.Number({ minimum: -100, maximum: 100 }) }, closed),
);

export const deviceReported = defineEvent(
  'device.reported',
  'A device reported its health: recorded when first heard, after being offline, or when its battery level changed.',
  Type.Object({ kind: Type.String({ maxLength: 50 }), battery: Type.Optional(Percent) }, closed),
);

export const deviceWentOffline = defineEvent(
  'device.went_offline',
  'A supervised device stayed silent longer than its supervision interval (raised once until it reports again).',
  Type.Object(
    {
      kind: Type.String({ maxLength: 50 }),
      /** ISO-8601 UTC; null when never heard since supervision started. */
      lastSeenAt: Type.Union([Type.String({ maxLength: 40 }), Type.Null()]),
      supervisionSeconds: Type.Integer({ minimum: 1 }),
    },
    closed,
  ),
);

export const deviceCameOnline = defineEvent(
  'device.came_online',
  'A device reported again after it was declared offline.',
  Type.Object({ kind: Type.String({ maxLength: 50 }), offlineSince: Type.String({ maxLength: 40 }) }, closed),
);

export const devicePayloadRejected = defineEvent(
  'device.payload_rejected',
  'Messages from a device could not be understood; raised at most once per device per window, with the count since the last one.',
  Type.Object(
    {
      topic: Type.String({ maxLength: 512 }),
      reason: Type.String({ maxLength: 300 }),
      rejected: Type.Integer({ minimum: 1 }),
      bytes: Type.Integer({ minimum: 0 }),
    },
    closed,
  ),
);

export const mqttDeviceEvents = [
  doorContactOpened,
  doorContactClosed,
  panicPressed,
  duressPressed,
  glassBreakDetected,
  motionDetected,
  firePanelAlarmRaised,
  firePanelAlarmCleared,
  nurseCallPlaced,
  fridgeTemperatureReported,
  deviceReported,
  deviceWentOffline,
  deviceCameOnline,
  devicePayloadRejected,
];
