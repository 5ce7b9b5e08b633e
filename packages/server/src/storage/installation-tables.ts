/** The installation's identity row (installation.ts); apart so storage/schema.ts can join it without a cycle. */
export interface InstallationTables {
  installation: { id: number; installation_id: string; created_at: string };
}
