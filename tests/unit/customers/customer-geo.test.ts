import { describe, expect, it } from 'vitest';
import { fenceView, geoPoint, geoPolygon, lngLatOf, locationView, outlineOf, storedFence, storedPlace } from '../../../server/customers/customer-geo.ts';
import { normaliseFence, normaliseLocation } from '../../../server/customers/geo-normalise.ts';

const A = { lng: 118.79, lat: 32.06 };
const B = { lng: 118.80, lat: 32.06 };
const C = { lng: 118.80, lat: 32.07 };

describe('customer geo', () => {
  it('a point is GeoJSON with longitude first', () => {
    expect(geoPoint(A)).toEqual({ type: 'Point', coordinates: [118.79, 32.06] });
    expect(lngLatOf(geoPoint(A))).toEqual(A);
  });

  it('closes the ring once, and gives the corners back without the closing position', () => {
    const open = geoPolygon([A, B, C]);
    expect(open).toEqual({ type: 'Polygon', coordinates: [[[118.79, 32.06], [118.80, 32.06], [118.80, 32.07], [118.79, 32.06]]] });
    expect(geoPolygon([A, B, C, A])).toEqual(open);
    expect(outlineOf(open)).toEqual([A, B, C]);
  });

  it('stores what normalising gives and shows it back as the API had it', () => {
    const location = normaliseLocation({ ...A, system: 'BD09' }, '/location').value!;
    const place = storedPlace(location);
    expect(place.pointMeta).toEqual({ system: 'GCJ02', original: { ...A, system: 'BD09' } });
    expect(place.point.coordinates).toEqual([location.lng, location.lat]);
    expect(locationView(place)).toEqual(location);

    const fence = normaliseFence({ system: 'WGS84', polygon: [A, B, C] }, '/fence').value!;
    const stored = storedFence(fence);
    expect(stored.fence.coordinates[0]).toHaveLength(4);
    expect(fenceView(stored)).toEqual(fence);
    expect(fenceView({ fence: null, fenceMeta: null })).toBeNull();
  });
});
