export { MqttAdapter, type MqttAdapterOptions, type MqttAdapterStats, type IntakePort } from './adapter.js';
export { compileDeviceMapping, loadDeviceMapping, DeviceMappingSchema, type DeviceMapping, type DeviceMappingFile } from './mapping.js';
export { mqttDeviceEvents, doorContactOpened, doorContactClosed, glassBreakDetected, motionDetected, panicPressed } from './events.js';
export type { DeviceStatus } from './supervision.js';
export { AUTO_SHARED_GROUP, sharedGroupOf } from './group.js';
