/**
 * One floor: upload or replace its plan (an SVG, sanitised by the server, which lists anything
 * unsafe it refused), remove it, place the site's doors on it and draw its zones.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { Floor } from '../../components/admin/api-types.ts';
import { ConfirmDialog } from '../../components/admin/dialogs.tsx';
import { useAction, useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader } from '../../components/admin/layout.tsx';
import { facilityKeys, useFloors } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';
import { DoorPlacer } from './DoorPlacer.tsx';
import { ZoneOutliner } from './ZoneOutliner.tsx';

export function FloorSection({ siteId, floorId }: { siteId: string; floorId: string }) {
  const floors = useFloors(siteId);
  const floor = floors.data?.find((candidate) => candidate.id === floorId);
  if (floors.error) return <ServerError error={floors.error} />;
  if (!floors.data) return <p className="loading">Loading…</p>;
  if (!floor)
    return (
      <p>
        This floor is not on the chosen site. <Link to="/facility">Back to buildings & floors</Link>
      </p>
    );
  return <FloorEditor floor={floor} />;
}

function FloorEditor({ floor }: { floor: Floor }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const upload = useAction();
  const [file, setFile] = useState<File | null>(null);
  const [removing, setRemoving] = useState(false);
  const manage = can('facility.manage');
  const refresh = () => invalidate(facilityKeys.floors(floor.siteId));

  return (
    <div>
      <p>
        <Link to="/facility">← Buildings & floors</Link>
      </p>
      <SectionHeader title={`${floor.name} (level ${floor.level})`}>
        {manage && floor.plan && (
          <button type="button" className="secondary" onClick={() => setRemoving(true)}>
            Remove plan
          </button>
        )}
      </SectionHeader>
      {manage && (
        <form
          className="toolbar"
          aria-label="Upload floor plan"
          onSubmit={(e) => {
            e.preventDefault();
            if (!file) return;
            void upload.run(async () => {
              await api.upload('PUT', `/api/floors/${floor.id}/plan`, file, 'image/svg+xml');
              await refresh();
            });
          }}
        >
          <label>
            {floor.plan ? 'Replace the plan (SVG)' : 'Floor plan (SVG)'}
            <input type="file" accept=".svg,image/svg+xml" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="submit" disabled={!file || upload.busy}>
            {upload.busy ? 'Uploading…' : 'Upload plan'}
          </button>
        </form>
      )}
      <ServerError error={upload.error} />
      {floor.plan ? (
        <>
          <p className="muted">
            Plan uploaded {formatInstant(floor.plan.uploadedAt)} · drawing area {floor.plan.viewBox.width} × {floor.plan.viewBox.height}
          </p>
          <DoorPlacer floor={floor} plan={floor.plan} editable={manage} />
          <ZoneOutliner floor={floor} plan={floor.plan} editable={manage} />
        </>
      ) : (
        <p className="muted">No plan yet. Upload the floor's SVG drawing to place its doors.</p>
      )}
      <ConfirmDialog
        open={removing}
        title="Remove floor plan"
        confirmLabel="Remove plan"
        onConfirm={async () => {
          await api.delete(`/api/floors/${floor.id}/plan`);
          await refresh();
        }}
        onClose={() => setRemoving(false)}
      >
        <p>Remove the plan of {floor.name}? Operators lose the drawing on their floor-plan screen until a new one is uploaded.</p>
      </ConfirmDialog>
    </div>
  );
}
