// Customers kept their point as { lng, lat, system, original } and their fence as { system, polygon: [{ lng, lat }],
// original }, which no geo query can use. They become a GeoJSON `point` (2dsphere-indexed) and `fence` (a closed
// ring), with the coordinate system and the reading as entered in `pointMeta` / `fenceMeta`.
import type { MigrationStep } from './migration.ts';
import { rewrite } from './migration.ts';
import { storedFence, storedPlace } from '../../customers/customer-geo.ts';
import type { FenceInput, LocationInput, Point } from '../../customers/geo-normalise.ts';

interface OldLocation extends Point { original?: LocationInput }
interface OldFence { polygon: Point[]; original?: FenceInput }

const lngLat = (p: Point): Point => ({ lng: p.lng, lat: p.lat });

export const customerGeoJson: MigrationStep = {
  id: '2026-12-customer-geojson',
  describe: 'customers: location { lng, lat } → GeoJSON point, fence polygon → GeoJSON polygon',
  // `location` is the old field: today's customers have none, so a second run finds nothing.
  run: (db) => rewrite(db.collection('customers'), { location: { $exists: true } }, (c) => {
    const location = c.location as OldLocation;
    const fence = c.fence as OldFence | null | undefined;
    const place = storedPlace({ ...lngLat(location), system: 'GCJ02', original: location.original ?? { ...lngLat(location), system: 'GCJ02' } });
    const outline = fence && Array.isArray(fence.polygon) && fence.polygon.length > 0 ? fence.polygon.map(lngLat) : null;
    const fenced = outline
      ? storedFence({ system: 'GCJ02', polygon: outline, original: fence?.original ?? { system: 'GCJ02', polygon: outline } })
      : { fence: null, fenceMeta: null };
    return { $set: { ...place, ...fenced }, $unset: { location: '' } };
  }),
};
