/**
 * What the scenarios need Vigil to know, put in through the public API and idempotent: the
 * automation rules (rules.ts), a fire plan per building that the building's fire-alarm panel
 * starts, and a Code Pink plan for maternity and the NICU. A rule that exists under its name is
 * brought up to date (a new version) but never re-enabled: an operator who disabled it meant it.
 *
 * Forced and propped doors are left to the rules every installation starts with; the hospital only
 * takes its pharmacy vault out of the default forced-door rule, because its own rule raises the
 * vault at priority 1 and one door forced must make one alarm.
 */
import type { ProvisionedHospital } from '../model.js';
import { placeSensors } from '../live/sensor-placement.js';
import type { VigilClient } from '../live/vigil-client.js';
import { doorIdsInto, scenarioRules, type RuleDocument } from './rules.js';

export interface ScenarioSetup {
  /** Rule id by rule name. */
  readonly rules: ReadonlyMap<string, string>;
  /** Fire plan id by building key. */
  readonly firePlans: ReadonlyMap<string, string>;
  readonly codePinkPlan: string | null;
}

interface Rule {
  id: string;
  name: string;
  siteId: string | null;
  document: unknown;
}

/** The name of the installation's default forced-door rule (the server's defaults). */
const DEFAULT_FORCED_RULE = 'Door forced open';

interface Plan {
  id: string;
  siteId: string;
  name: string;
}

export const CODE_PINK_PLAN = 'Code Pink: maternity and NICU';

export function firePlanName(buildingName: string): string {
  return `Fire evacuation: ${buildingName}`;
}

export async function ensureScenarioSetup(api: VigilClient, hospital: ProvisionedHospital): Promise<ScenarioSetup> {
  const rules = await ensureRules(api, hospital.siteId, scenarioRules(hospital));
  await excludeFromDefaultForcedRule(api, doorIdsInto(hospital, ['pharmacy_vault']));
  const plans = (await api.get<{ items: Plan[] }>('/api/emergency/plans')).items.filter((p) => p.siteId === hospital.siteId);
  const planId = async (name: string, input: Record<string, unknown>) =>
    plans.find((p) => p.name === name)?.id ??
    (await api.post<Plan>('/api/emergency/plans', { siteId: hospital.siteId, name, ...input })).id;

  const firePlans = new Map<string, string>();
  const panels = placeSensors(hospital).filter((s) => s.kind === 'fire_panel');
  for (const building of hospital.model.buildings) {
    const buildingId = hospital.ids.buildings[building.key];
    const panel = panels.find((p) => p.building === building.key);
    if (!buildingId || !panel) continue;
    firePlans.set(
      building.key,
      await planId(firePlanName(building.name), {
        kind: 'fire',
        scope: { buildingIds: [buildingId] },
        buttons: [{ event: 'fire_panel.alarm_raised', source: `device:${panel.serial}` }],
      }),
    );
  }
  const maternity = hospital.model.zones.some((z) => z.type === 'maternity' || z.type === 'nicu');
  const codePinkPlan = maternity ? await planId(CODE_PINK_PLAN, { kind: 'code_pink', scope: { zoneTypes: ['maternity', 'nicu'] } }) : null;
  return { rules, firePlans, codePinkPlan };
}

async function ensureRules(api: VigilClient, siteId: string, documents: readonly RuleDocument[]): Promise<Map<string, string>> {
  const existing = (await api.all<Rule>('/api/automation/rules')).filter((r) => r.siteId === siteId);
  const ids = new Map<string, string>();
  for (const document of documents) {
    const rule = existing.find((r) => r.name === document.name);
    if (!rule) {
      ids.set(document.name, (await api.post<Rule>('/api/automation/rules', { document })).id);
      continue;
    }
    const current = rule.document as Record<string, unknown>;
    // The stored document carries `enabled`; compare without it, so a disabled rule stays disabled.
    const { enabled, ...rest } = current;
    if (JSON.stringify(sortKeys(rest)) !== JSON.stringify(sortKeys(document))) {
      await api.put(`/api/automation/rules/${rule.id}`, { document: enabled === undefined ? document : { ...document, enabled } });
    }
    ids.set(document.name, rule.id);
  }
  return ids;
}

/** Adds `doors` to the `door.notIn` of the installation-wide forced-door rule, keeping whatever else it says. */
async function excludeFromDefaultForcedRule(api: VigilClient, doors: readonly string[]): Promise<void> {
  if (doors.length === 0) return;
  const rule = (await api.all<Rule>('/api/automation/rules')).find((r) => r.siteId === null && r.name === DEFAULT_FORCED_RULE);
  if (!rule) return;
  const document = rule.document as { trigger: { event: unknown; where?: Record<string, unknown> } };
  const where = document.trigger.where ?? {};
  const door = where.door;
  // An operator who narrowed the rule another way (a fixed door list) keeps it as written.
  if (door !== undefined && (door === null || typeof door !== 'object' || !('notIn' in door) || Object.keys(door).length !== 1)) return;
  const excluded = new Set((door as { notIn?: string[] } | undefined)?.notIn ?? []);
  if (doors.every((d) => excluded.has(d))) return;
  const notIn = [...new Set([...excluded, ...doors])];
  await api.put(`/api/automation/rules/${rule.id}`, {
    document: { ...document, trigger: { ...document.trigger, where: { ...where, door: { notIn } } } },
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
