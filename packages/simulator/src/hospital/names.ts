/**
 * Small built-in word lists the generator combines: enough variety for a believable staff list
 * and hospital name, no external data. Given × family names give over 12,000 combinations.
 */

function words(list: string): string[] {
  return list.trim().split(/\s+/);
}

export const GIVEN_NAMES: readonly string[] = words(`
  Aaliyah Aaron Abigail Adrian Aisha Alejandro Alex Alice Amara Amir Ana Andre Angela Anika Anthony
  Arjun Ava Beatriz Benjamin Bianca Brandon Camila Carlos Caroline Chen Chloe Christopher Daniel Deepa
  Diana Dmitri Elena Elijah Emeka Emily Emma Ethan Fatima Felipe Fiona Gabriel Grace Hana Hannah
  Hassan Isabel Isaac Jacob Jamal James Jasmine Javier Jennifer Jia John Jordan Joseph Julia Kai Karen
  Keisha Kenji Kevin Laila Laura Leah Liam Lucas Lucy Malik Maria Mark Maya Mei Michael Miguel
  Mohammed Nadia Naomi Nathan Nia Noah Olivia Omar Priya Rachel Rafael Rahul Rebecca Ricardo Rosa Ryan
  Samuel Sara Sean Sofia Sunita Tariq Thomas Tomás Valentina Victor Wei William Yara Yusuf Zainab Zoe
`);

export const FAMILY_NAMES: readonly string[] = words(`
  Abbott Adeyemi Ahmed Alvarez Anderson Baker Banerjee Bell Brooks Brown Campbell Carter Castillo Chen
  Clark Cohen Collins Cooper Cruz Davis Diaz Dubois Edwards Evans Fernandez Fischer Flores Foster
  Garcia Gomez Gonzalez Green Gupta Hall Harris Hernandez Hill Hoang Hughes Ibrahim Jackson James
  Johnson Jones Kapoor Kelly Khan Kim King Kowalski Kumar Lee Lewis Li Lopez Martin Martinez Mendoza
  Miller Mitchell Moore Morales Morris Murphy Nakamura Nelson Nguyen Novak Okafor Okonkwo Olsen Ortiz
  Park Patel Perez Peterson Phillips Price Ramirez Reed Reyes Richardson Rivera Roberts Robinson
  Rodriguez Rossi Sanchez Santos Schmidt Scott Shah Silva Singh Smith Sullivan Tanaka Taylor Thomas
  Thompson Torres Tran Turner Walker Wang Ward Washington Watson White Williams Wilson Wong Wright Wu
  Yamamoto Yang Young Zhang Zimmerman
`);

/** Two halves of a place name ("Cedar" + "brook"), so hospital names rarely repeat across seeds. */
export const PLACE_STARTS: readonly string[] = words(`
  Ash Bay Birch Brook Cedar Clear Elm Fair Glen Green Harbor Hazel High Lake Maple Mill North Oak Pine
  Red River Rock Silver South Spring Stone Summer West Willow Wood
`);

export const PLACE_ENDS: readonly string[] = words('bridge brook dale field ford haven hurst mont ridge side vale view wood');

export const HOSPITAL_KINDS = {
  clinic: ['Community Clinic', 'Health Center', 'Medical Clinic'],
  community: ['Community Hospital', 'Regional Medical Center', 'General Hospital'],
  academic: ['University Medical Center', 'Academic Medical Center', 'University Hospital'],
} as const;

/** US zones: each has the same federal holidays (see calendar.ts). */
export const TIME_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles'] as const;

export const CONTRACTOR_COMPANIES = [
  'Apex Mechanical',
  'BrightLine Electrical',
  'ClearView Glazing',
  'Delta Elevator Service',
  'Keystone Fire Protection',
  'MedTech Biomedical',
  'Summit HVAC',
  'TriState Plumbing',
] as const;
