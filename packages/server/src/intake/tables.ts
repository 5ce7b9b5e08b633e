/** Tables owned by the intake. */

/**
 * One row (id = 1): the journal seq up to which every event is known to be in the NATS stream.
 * Only a hint for the relay: publishing again from an older position is harmless (the stream
 * drops repeated event ids), so it is advanced without locking.
 */
export interface IntakeBusCursorTable {
  id: number;
  seq: number;
  updated_at: string;
}

export interface IntakeTables {
  intake_bus_cursor: IntakeBusCursorTable;
}
