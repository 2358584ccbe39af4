import { describe, expect, it } from 'vitest';
import gcoordModule from 'gcoord';
import { checkPoint, inChinaBox, normaliseFence, normaliseLocation, parseSystem, toGcj02 } from '../../../server/customers/geo-normalise.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const TIANANMEN = { lng: 116.397428, lat: 39.90923 };

describe('geo-normalise', () => {
  it('converts WGS84 and BD09 to GCJ-02 exactly as gcoord does, and leaves GCJ-02 alone', () => {
    expect(toGcj02(TIANANMEN, 'WGS84')).toEqual(Object.fromEntries(['lng', 'lat'].map((k, i) => [k, gcoord.transform([TIANANMEN.lng, TIANANMEN.lat], gcoord.WGS84, gcoord.GCJ02)[i]])));
    const bd = gcoord.transform([TIANANMEN.lng, TIANANMEN.lat], gcoord.BD09, gcoord.GCJ02) as number[];
    expect(toGcj02(TIANANMEN, 'BD09')).toEqual({ lng: bd[0], lat: bd[1] });
    expect(toGcj02(TIANANMEN, 'GCJ02')).toEqual(TIANANMEN);
  });

  it('keeps the entered original next to the normalised point', () => {
    const { value, errors } = normaliseLocation({ ...TIANANMEN, system: 'WGS84' }, '/location');
    expect(errors).toEqual([]);
    expect(value?.system).toBe('GCJ02');
    expect(value?.original).toEqual({ ...TIANANMEN, system: 'WGS84' });
    expect(value?.lng).not.toBe(TIANANMEN.lng);
  });

  it('leaves points outside China unchanged (Paris)', () => {
    expect(toGcj02({ lng: 2.3522, lat: 48.8566 }, 'WGS84')).toEqual({ lng: 2.3522, lat: 48.8566 });
    expect(checkPoint({ lng: 2.3522, lat: 48.8566 }, '/location')).toEqual([]);
    expect(checkPoint({ lng: -122.4194, lat: 37.7749 }, '/location')).toEqual([]);
  });

  it.each([
    ['lat 116 / lng 39 (Beijing swapped, lat out of range)', { lng: 39.9, lat: 116.4 }],
    ['Urumqi swapped: both in range, only inside China when swapped', { lng: 43.8, lat: 87.6 }],
    ['Shanghai swapped', { lng: 31.23, lat: 121.47 }],
  ])('flags swapped coordinates: %s', (_label, p) => {
    const errors = checkPoint(p, '/location');
    expect(errors).toEqual([expect.objectContaining({ field: '/location', code: 'COORDINATES_SWAPPED' })]);
    expect(errors[0]?.message_zh).toMatch(/填反/);
  });

  it('reports each out-of-range axis at its own pointer', () => {
    expect(checkPoint({ lng: -10, lat: 95 }, '/location').map((e) => [e.field, e.code])).toEqual([['/location/lat', 'COORDINATES_OUT_OF_RANGE']]);
    expect(checkPoint({ lng: 181, lat: 10 }, '/location').map((e) => e.field)).toEqual(['/location/lng']);
    expect(checkPoint({ lng: -200, lat: -100 }, '/x').map((e) => e.field)).toEqual(['/x/lat', '/x/lng']);
    expect(checkPoint({ lng: 180, lat: -90 }, '/x')).toEqual([]);
  });

  it('uses gcoord\'s China box', () => {
    expect(inChinaBox(TIANANMEN)).toBe(true);
    expect(inChinaBox({ lng: 39.9, lat: 116.4 })).toBe(false);
  });

  it('normalises a fence polygon point by point, with pointers to bad points', () => {
    const polygon = [{ lng: 116.39, lat: 39.9 }, { lng: 116.4, lat: 39.9 }, { lng: 116.4, lat: 39.91 }];
    const ok = normaliseFence({ system: 'WGS84', polygon }, '/fence');
    expect(ok.value?.polygon).toHaveLength(3);
    expect(ok.value?.original).toEqual({ system: 'WGS84', polygon });
    const bad = normaliseFence({ system: 'GCJ02', polygon: [...polygon, { lng: 39.9, lat: 116.4 }] }, '/fence');
    expect(bad.value).toBeUndefined();
    expect(bad.errors.map((e) => e.field)).toEqual(['/fence/polygon/3']);
  });

  it('reads coordinate systems as people write them', () => {
    expect(parseSystem('gcj-02')).toBe('GCJ02');
    expect(parseSystem('百度')).toBe('BD09');
    expect(parseSystem(' GPS ')).toBe('WGS84');
    expect(parseSystem('高德坐标')).toBe('GCJ02');
    expect(parseSystem('EPSG3857')).toBeUndefined();
  });
});
