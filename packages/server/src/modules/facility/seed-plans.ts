/**
 * Floor-plan drawings for the sample hospital: rooms as rectangles tagged with their zone, walls,
 * labels and door marks at the same coordinates the sample doors are placed at, so the console
 * shows each door where the plan has an opening.
 */
export interface PlanRoom {
  readonly key: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill: string;
}

export interface PlanDoor {
  readonly key: string;
  readonly x: number;
  readonly y: number;
}

export const PLAN_WIDTH = 1200;
export const PLAN_HEIGHT = 700;

export const GROUND_ROOMS: readonly PlanRoom[] = [
  { key: 'stair_a', label: 'Stair A', x: 20, y: 20, width: 120, height: 140, fill: '#eceff1' },
  { key: 'mri_2', label: 'MRI Zone II', x: 700, y: 20, width: 200, height: 360, fill: '#e3f2fd' },
  { key: 'mri_3', label: 'MRI Zone III', x: 900, y: 20, width: 140, height: 360, fill: '#bbdefb' },
  { key: 'mri_4', label: 'MRI Zone IV', x: 1040, y: 20, width: 140, height: 360, fill: '#90caf9' },
  { key: 'lobby', label: 'Main Lobby', x: 20, y: 380, width: 1160, height: 70, fill: '#fffde7' },
  { key: 'lobby', label: '', x: 450, y: 450, width: 300, height: 230, fill: '#fffde7' },
  { key: 'ed', label: 'Emergency Department', x: 20, y: 450, width: 430, height: 230, fill: '#ffebee' },
  { key: 'pharmacy', label: 'Pharmacy', x: 750, y: 450, width: 250, height: 230, fill: '#e8f5e9' },
  { key: 'data_centre', label: 'Data Centre', x: 1000, y: 450, width: 180, height: 100, fill: '#ede7f6' },
  { key: 'vault', label: 'Pharmacy Vault', x: 1000, y: 550, width: 180, height: 130, fill: '#c8e6c9' },
];

export const FIRST_ROOMS: readonly PlanRoom[] = [
  { key: 'stair_a', label: 'Stair A', x: 20, y: 20, width: 120, height: 140, fill: '#eceff1' },
  { key: 'maternity', label: 'Maternity – Labour, Delivery, Postpartum', x: 140, y: 20, width: 660, height: 360, fill: '#fce4ec' },
  { key: 'nicu', label: 'Neonatal ICU', x: 800, y: 20, width: 380, height: 360, fill: '#f8bbd0' },
  { key: 'lift_lobby', label: 'Level 2 Lift Lobby', x: 20, y: 380, width: 1160, height: 70, fill: '#fffde7' },
  { key: 'lift_lobby', label: '', x: 500, y: 450, width: 200, height: 230, fill: '#fffde7' },
  { key: 'or', label: 'Operating Suite', x: 700, y: 450, width: 480, height: 230, fill: '#e0f7fa' },
];

export const GROUND_DOORS: readonly PlanDoor[] = [
  { key: 'main_entrance', x: 600, y: 680 },
  { key: 'ambulance', x: 20, y: 600 },
  { key: 'ed_staff', x: 300, y: 450 },
  { key: 'pharmacy', x: 850, y: 450 },
  { key: 'vault', x: 1000, y: 615 },
  { key: 'data_centre', x: 1090, y: 450 },
  { key: 'mri_2', x: 800, y: 380 },
  { key: 'mri_3', x: 900, y: 200 },
  { key: 'mri_4', x: 1040, y: 200 },
  { key: 'stair_a_exit', x: 20, y: 90 },
];

export const FIRST_DOORS: readonly PlanDoor[] = [
  { key: 'maternity', x: 470, y: 380 },
  { key: 'nicu', x: 800, y: 200 },
  { key: 'maternity_stair', x: 140, y: 90 },
  { key: 'or', x: 900, y: 450 },
];

export function drawPlan(title: string, rooms: readonly PlanRoom[], doors: readonly PlanDoor[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PLAN_WIDTH} ${PLAN_HEIGHT}" font-family="sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${PLAN_WIDTH}" height="${PLAN_HEIGHT}" fill="#ffffff"/>`,
    '<g id="rooms" stroke="#455a64" stroke-width="2">',
  ];
  for (const room of rooms) {
    lines.push(
      `<rect data-zone="${room.key}" x="${room.x}" y="${room.y}" width="${room.width}" height="${room.height}" fill="${room.fill}"/>`,
    );
  }
  lines.push('</g>', '<g id="labels" font-size="16" fill="#263238" text-anchor="middle">');
  for (const room of rooms) {
    if (!room.label) continue;
    lines.push(`<text x="${room.x + room.width / 2}" y="${room.y + room.height / 2}">${esc(room.label)}</text>`);
  }
  lines.push(
    '</g>',
    `<g id="outline" fill="none" stroke="#263238" stroke-width="6"><rect x="20" y="20" width="${PLAN_WIDTH - 40}" height="${PLAN_HEIGHT - 40}"/></g>`,
    '<g id="doors" fill="#ff6f00" stroke="#ffffff" stroke-width="2">',
  );
  for (const door of doors) {
    lines.push(`<circle data-door="${door.key}" cx="${door.x}" cy="${door.y}" r="9"/>`);
  }
  lines.push(
    '</g>',
    `<text x="${PLAN_WIDTH - 30}" y="${PLAN_HEIGHT - 4}" font-size="12" fill="#607d8b" text-anchor="end">${esc(title)} – not to scale</text>`,
    '</svg>',
  );
  return lines.join('\n');
}
