import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sharedGroupOf } from '../adapters/mqtt/index.js';
import { installationId } from './installation.js';
import { eachDatabase, openTestDatabase } from './testing.js';

eachDatabase('installation id', (t, dialect) => {
  it('is created once: nodes starting together on one database all get the same id, and keep it', async () => {
    const db = t().handle.db;
    const ids = await Promise.all(Array.from({ length: 6 }, () => installationId(db)));
    assert.equal(new Set(ids).size, 1, ids.join());
    assert.equal(await installationId(db), ids[0]);
    assert.equal((await db.selectFrom('installation').selectAll().execute()).length, 1);
  });

  it('differs between installations, and so does the default MQTT group', async () => {
    const other = await openTestDatabase(dialect);
    try {
      const ours = await sharedGroupOf('auto', () => installationId(t().handle.db));
      const theirs = await sharedGroupOf('auto', () => installationId(other.handle.db));
      assert.match(ours, /^vigil-[0-9a-f]{32}$/);
      assert.notEqual(ours, theirs);
      // An explicit group is used as given, and the empty one (no shared subscription) stays empty.
      assert.equal(await sharedGroupOf('ward-sensors', () => installationId(other.handle.db)), 'ward-sensors');
      assert.equal(await sharedGroupOf('', () => installationId(other.handle.db)), '');
    } finally {
      await other.dispose();
    }
  });
});
