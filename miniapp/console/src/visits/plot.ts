// Geometry of the location plot beside a visit: metres east/north of the store, the fence (circle or outline), each
// fix with its accuracy circle, and a scale bar, laid out in an SVG box. No map tiles: a reviewer needs distances,
// not streets. A fix far off the fence (a teleport) is pinned to the plot's edge on its bearing with its distance,
// so the fence does not shrink to a dot; so is the rep's previous check-out, which the travel-speed rule measured from.
// Pure.

export interface LngLat { lng: number; lat: number }
export type FixPhase = 'checkin' | 'checkout' | 'previous';
export interface PlotFixInput extends LngLat { phase: FixPhase; accuracyM?: number; deviceTime: string }

export interface PlotInput {
  store: LngLat;
  radiusM: number;
  polygon?: LngLat[] | null;
  fixes: PlotFixInput[];
  /** The check-out of the rep's previous visit (phase 'previous' in the output). */
  previous?: (LngLat & { deviceTime: string }) | null;
  /** Side of the square drawing in pixels. */
  size?: number;
}

export interface PlotFix {
  phase: FixPhase;
  /** Metres east and north of the store. */
  east: number; north: number;
  distanceM: number;
  /** SVG position (pinned to the edge when off the plot) and accuracy circle radius. */
  x: number; y: number; accuracyPx: number;
  offPlot: boolean;
  deviceTime: string;
}

export interface PlotModel {
  size: number;
  /** Metres from the centre to the edge of the drawing. */
  halfExtentM: number;
  pxPerM: number;
  centre: { x: number; y: number };
  fence: { shape: 'circle'; r: number } | { shape: 'polygon'; points: string; marginPx: number };
  fixes: PlotFix[];
  scaleBar: { metres: number; px: number; label: string };
}

const EARTH_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** The drawing shows at most this many fence radii from the store; farther fixes go to the edge. */
export const MAX_ZOOM_OUT = 12;
/** Room between the outermost thing drawn and the edge. */
const MARGIN = 1.2;

/** Metres east and north of `origin` (equirectangular: exact enough within a few kilometres). */
export function toLocalMetres(origin: LngLat, p: LngLat): { east: number; north: number } {
  const east = (p.lng - origin.lng) * RAD * EARTH_M * Math.cos(origin.lat * RAD);
  const north = (p.lat - origin.lat) * RAD * EARTH_M;
  return { east, north };
}

/** Great-circle distance in metres (haversine), for the labels of far fixes. */
export function distanceM(a: LngLat, b: LngLat): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The largest 1, 2 or 5 × 10ⁿ not above `x` (scale bars read in round numbers). */
export function niceFloor(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

export function formatDistance(m: number): string {
  if (m >= 10_000) return `${Math.round(m / 1000).toLocaleString('en-US')} km`;
  if (m >= 1000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m)} m`;
}

export function plotModel(input: PlotInput): PlotModel {
  const size = input.size ?? 360;
  const radiusM = Math.max(1, input.radiusM);
  const polygon = input.polygon && input.polygon.length >= 3 ? input.polygon.map((p) => toLocalMetres(input.store, p)) : null;
  const all: PlotFixInput[] = input.previous ? [...input.fixes, { ...input.previous, phase: 'previous' }] : input.fixes;
  const fixes = all.map((f) => {
    const local = toLocalMetres(input.store, f);
    return { ...f, ...local, distanceM: distanceM(input.store, f) };
  });

  // Everything near enough to matter fits; a teleport does not zoom the fence away.
  const cap = radiusM * MAX_ZOOM_OUT;
  const fenceReach = polygon ? Math.max(...polygon.map((p) => Math.hypot(p.east, p.north))) + radiusM : radiusM;
  const nearReach = Math.max(0, ...fixes.map((f) => Math.hypot(f.east, f.north) + (f.accuracyM ?? 0)).filter((d) => d <= cap));
  const halfExtentM = Math.min(cap, Math.max(fenceReach, nearReach)) * MARGIN;
  const pxPerM = size / 2 / halfExtentM;
  const centre = { x: size / 2, y: size / 2 };
  const toSvg = (east: number, north: number) => ({ x: centre.x + east * pxPerM, y: centre.y - north * pxPerM });

  const edge = halfExtentM * 0.94; // pinned fixes sit just inside the frame
  const plotted: PlotFix[] = fixes.map((f) => {
    const reach = Math.max(Math.abs(f.east), Math.abs(f.north));
    const offPlot = reach > edge;
    const k = offPlot ? edge / reach : 1;
    const at = toSvg(f.east * k, f.north * k);
    return {
      phase: f.phase, east: f.east, north: f.north, distanceM: f.distanceM, deviceTime: f.deviceTime,
      x: at.x, y: at.y, accuracyPx: offPlot ? 0 : (f.accuracyM ?? 0) * pxPerM, offPlot,
    };
  });

  const fence: PlotModel['fence'] = polygon
    ? { shape: 'polygon', points: polygon.map((p) => { const s = toSvg(p.east, p.north); return `${round(s.x)},${round(s.y)}`; }).join(' '), marginPx: radiusM * pxPerM }
    : { shape: 'circle', r: radiusM * pxPerM };

  const metres = niceFloor(halfExtentM / 2);
  return { size, halfExtentM, pxPerM, centre, fence, fixes: plotted, scaleBar: { metres, px: metres * pxPerM, label: formatDistance(metres) } };
}

const round = (x: number) => Math.round(x * 10) / 10;
