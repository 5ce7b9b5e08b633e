/**
 * The door wiring of one controller, derived from the facility records: every door of the site
 * whose controller is the device registered under that serial, with its readers' addresses on
 * the controller's OSDP buses, its lock output and inputs, and its timings. Agents fetch it (an
 * agent on its own box as much as the one inside the server), so doors are wired once, in the
 * facility, not again in each box's file.
 */
import { wiringVersion, type DoorWiring, type WiringResponse } from '@vigil/edge';
import { facilityError, type Door, type FacilityService } from '../modules/facility/index.js';

const CONTROLLER_KINDS = new Set(['controller', 'edge_agent']);
const PAGE = 500;

export type WiringSource = (siteId: string, controllerSerial: string) => Promise<WiringResponse>;

export function facilityWiring(facility: FacilityService): WiringSource {
  return async (siteId, controllerSerial) => {
    const controller = await facility.devices.find({ serialNumber: controllerSerial });
    // Another site's controller is answered as an unknown one: an agent must not learn, by probing
    // serial numbers, which devices other sites have.
    if (controller.siteId !== siteId) {
      throw facilityError('facility.device_not_found', `No device ${controllerSerial}`, { device: controllerSerial });
    }
    if (!CONTROLLER_KINDS.has(controller.kind)) {
      throw facilityError('facility.device_kind_mismatch', `Device ${controller.name} is a ${controller.kind}, not a controller`, {
        deviceId: controller.id,
        kind: controller.kind,
        expected: [...CONTROLLER_KINDS],
      });
    }
    const doors: Door[] = [];
    let cursor: string | undefined;
    do {
      const page = await facility.doors.list({ sites: [siteId], siteId, limit: PAGE, cursor });
      doors.push(...page.items.filter((d) => d.controllerId === controller.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const serialOf = async (deviceId: string | null) => (deviceId ? (await facility.devices.get(deviceId)).serialNumber : null);
    const wired: DoorWiring[] = [];
    for (const door of doors) {
      const reader = async (address: number | null, deviceId: string | null) =>
        address === null ? null : { address, serialNumber: await serialOf(deviceId) };
      wired.push({
        doorId: door.id,
        name: door.name,
        osdpBus: door.osdpBus,
        entryReader: await reader(door.entryReaderAddress, door.entryReaderId),
        exitReader: await reader(door.exitReaderAddress, door.exitReaderId),
        lockOutput: door.lockOutput,
        doorPositionInput: door.doorPositionInput,
        requestToExitInput: door.requestToExitInput,
        unlockSeconds: door.unlockSeconds,
        heldOpenSeconds: door.heldOpenSeconds,
        egress: door.egress,
      });
    }
    return { version: wiringVersion(wired), controllerSerial: controller.serialNumber ?? controllerSerial, doors: wired };
  };
}
