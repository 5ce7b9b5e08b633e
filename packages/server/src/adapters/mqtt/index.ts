export { MqttAdapter, type MqttAdapterOptions, type MqttAdapterStats, type IntakePort } from './adapter.js';
export { compileDeviceMapping, loadDeviceMapping, DeviceMappingSchema, type DeviceMapping, type DeviceMappingFile } from './mapping.js';
export { mqttDeviceEvents, doorContactOpened, panicPressed } from './events.js';
export type { DeviceStatus } from './supervision.js';
