// How a customer's place is stored: the point and the fence as GeoJSON in GCJ-02 (longitude first), so a 2dsphere
// index can answer "which customers are near here", with the coordinate system and the reading as entered kept
// beside them (never inside the GeoJSON object). The API speaks { lng, lat }; these functions map between the two.
// Pure.
import type { FenceInput, LocationInput, NormalisedFence, NormalisedLocation, Point } from './geo-normalise.ts';

export interface GeoPoint { type: 'Point'; coordinates: [number, number] }
/** One outer ring, closed (its last position repeats the first), as GeoJSON requires. */
export interface GeoPolygon { type: 'Polygon'; coordinates: [number, number][][] }
/** The system `point` is in, and the reading as it was entered. */
export interface PointMeta { system: 'GCJ02'; original: LocationInput }
export interface FenceMeta { system: 'GCJ02'; original: FenceInput }

export interface StoredPlace { point: GeoPoint; pointMeta: PointMeta }
export interface StoredFence { fence: GeoPolygon; fenceMeta: FenceMeta }

export function geoPoint(p: Point): GeoPoint {
  return { type: 'Point', coordinates: [p.lng, p.lat] };
}

export function lngLatOf(point: GeoPoint): Point {
  const [lng, lat] = point.coordinates;
  return { lng, lat };
}

const samePosition = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];

/** The ring closed once: an outline entered already closed is not closed twice. */
export function geoPolygon(outline: readonly Point[]): GeoPolygon {
  const ring = outline.map((p): [number, number] => [p.lng, p.lat]);
  const [first] = ring;
  const last = ring[ring.length - 1];
  if (first && last && (ring.length === 1 || !samePosition(first, last))) ring.push([first[0], first[1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** The outline's corners, without the closing position: what the API and the fence rules work with. */
export function outlineOf(fence: GeoPolygon): Point[] {
  const ring = fence.coordinates[0] ?? [];
  const open = ring.length > 1 && samePosition(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : ring;
  return open.map(([lng, lat]) => ({ lng, lat }));
}

export function storedPlace(location: NormalisedLocation): StoredPlace {
  return { point: geoPoint(location), pointMeta: { system: location.system, original: location.original } };
}

export function storedFence(fence: NormalisedFence): StoredFence {
  return { fence: geoPolygon(fence.polygon), fenceMeta: { system: fence.system, original: fence.original } };
}

/** The API's location: the GCJ-02 point with its system and the reading as entered. */
export function locationView(c: StoredPlace): NormalisedLocation {
  return { ...lngLatOf(c.point), system: c.pointMeta.system, original: c.pointMeta.original };
}

export function fenceView(c: { fence: GeoPolygon | null; fenceMeta: FenceMeta | null }): NormalisedFence | null {
  if (!c.fence || !c.fenceMeta) return null;
  return { system: c.fenceMeta.system, polygon: outlineOf(c.fence), original: c.fenceMeta.original };
}
