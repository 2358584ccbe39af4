// Coordinates as phones and maps report them (GPS = WGS84, AMap/Tencent = GCJ-02, Baidu = BD-09), checked and
// normalised to GCJ-02, the system the WeCom/DingTalk location APIs return, keeping what was entered.
import gcoordModule from 'gcoord';
import { fieldError, type FieldError } from '../http/errors.ts';

// gcoord ships CommonJS; under NodeNext its default export is the module object.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

export const COORDINATE_SYSTEMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

export interface Point { lng: number; lat: number }
export interface LocationInput extends Point { system: CoordinateSystem }
/** A point converted to GCJ-02, with the reading as entered. */
export interface NormalisedLocation extends Point { system: 'GCJ02'; original: LocationInput }
export interface FenceInput { system: CoordinateSystem; polygon: Point[] }
export interface NormalisedFence { system: 'GCJ02'; polygon: Point[]; original: FenceInput }

export const MAX_FENCE_POINTS = 100;

/** gcoord's own rough box for China: inside it, WGS84 and GCJ-02 differ; outside, gcoord leaves points alone. */
export function inChinaBox(p: Point): boolean {
  return p.lng >= 72.004 && p.lng <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271;
}

/**
 * Errors for one point: swapped first (lat 116 / lng 39 is "out of range" too, but swapped is the useful answer),
 * then each axis out of range. Swapped means: outside China as given, inside China once lng and lat trade places.
 * (A point in the Arctic at lng 0.8–55.8 would be refused as swapped; no customer of ours lives there.)
 */
export function checkPoint(p: Point, at: string): FieldError[] {
  if (!inChinaBox(p) && inChinaBox({ lng: p.lat, lat: p.lng })) {
    return [fieldError(at, 'COORDINATES_SWAPPED',
      `经纬度可能填反了：经度 ${p.lng}、纬度 ${p.lat}，互换后才位于中国境内`,
      `Longitude and latitude look swapped: lng ${p.lng}, lat ${p.lat} is only inside China when swapped`)];
  }
  const errors: FieldError[] = [];
  if (!(Math.abs(p.lat) <= 90)) {
    errors.push(fieldError(`${at}/lat`, 'COORDINATES_OUT_OF_RANGE', `纬度 ${p.lat} 超出范围（-90 到 90）`, `Latitude ${p.lat} is out of range (-90 to 90)`));
  }
  if (!(Math.abs(p.lng) <= 180)) {
    errors.push(fieldError(`${at}/lng`, 'COORDINATES_OUT_OF_RANGE', `经度 ${p.lng} 超出范围（-180 到 180）`, `Longitude ${p.lng} is out of range (-180 to 180)`));
  }
  return errors;
}

export function toGcj02(p: Point, system: CoordinateSystem): Point {
  if (system === 'GCJ02') return { lng: p.lng, lat: p.lat };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord[system], gcoord.GCJ02) as [number, number];
  return { lng, lat };
}

export function normaliseLocation(input: LocationInput, at: string): { value?: NormalisedLocation; errors: FieldError[] } {
  const errors = checkPoint(input, at);
  if (errors.length > 0) return { errors };
  const original = { lng: input.lng, lat: input.lat, system: input.system };
  return { value: { ...toGcj02(input, input.system), system: 'GCJ02', original }, errors };
}

export function normaliseFence(input: FenceInput, at: string): { value?: NormalisedFence; errors: FieldError[] } {
  const errors = input.polygon.flatMap((p, i) => checkPoint(p, `${at}/polygon/${i}`));
  if (errors.length > 0) return { errors };
  const original = { system: input.system, polygon: input.polygon.map((p) => ({ lng: p.lng, lat: p.lat })) };
  return { value: { system: 'GCJ02', polygon: input.polygon.map((p) => toGcj02(p, input.system)), original }, errors };
}

const SYSTEM_ALIASES: Record<string, CoordinateSystem> = {
  WGS84: 'WGS84', 'WGS-84': 'WGS84', GPS: 'WGS84',
  GCJ02: 'GCJ02', 'GCJ-02': 'GCJ02', 高德: 'GCJ02', 腾讯: 'GCJ02', 火星: 'GCJ02',
  BD09: 'BD09', 'BD-09': 'BD09', 百度: 'BD09',
};

/** The system named in a spreadsheet cell ("GCJ02", "gcj-02", "百度"...), or undefined. */
export function parseSystem(text: string): CoordinateSystem | undefined {
  const key = text.trim().toUpperCase().replace(/坐标(系)?$/, '');
  return SYSTEM_ALIASES[key];
}
