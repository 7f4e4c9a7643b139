import { describe, expect, it } from 'vitest';
import { boundsOf, centreOf, type Geometry, pathOf, projection, spread } from '../../web/src/geo.ts';

const square = (x0: number, y0: number, size: number): Geometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x0 + size, y0],
      [x0 + size, y0 + size],
      [x0, y0 + size],
      [x0, y0],
    ],
  ],
});

describe('desk page map geometry', () => {
  const a = square(101.93, 38.26, 0.01);
  const b = square(101.942, 38.25, 0.01);

  it('bounds every geometry and projects north up, keeping shapes true at the latitude', () => {
    const bounds = boundsOf([a, b])!;
    expect(bounds.minLng).toBe(101.93);
    expect(bounds.maxLng).toBeCloseTo(101.952, 9);
    expect(bounds.minLat).toBe(38.25);
    expect(bounds.maxLat).toBeCloseTo(38.27, 9);
    const p = projection(bounds, 1000, 10);
    const [x0, y0] = p.project([101.93, 38.27]);
    expect(x0).toBeCloseTo(10);
    expect(y0).toBeCloseTo(10);
    // A degree of longitude is cos(38.26°) of a degree of latitude: a 0.01° square is taller than wide.
    const [xl, yt] = p.project([101.93, 38.27]);
    const [xr, yb] = p.project([101.94, 38.26]);
    expect((xr - xl) / (yb - yt)).toBeCloseTo(Math.cos((38.26 * Math.PI) / 180), 3);
    expect(p.height).toBeGreaterThan(0);
  });

  it('draws rings as closed paths and finds the centre of the largest polygon', () => {
    const p = projection(boundsOf([a])!, 100, 0);
    // 100 units across; 1 / cos(38.265°) as many down.
    expect(pathOf(a, p)).toBe('M0 127.4L100 127.4L100 0L0 0L0 127.4Z');
    const [lng, lat] = centreOf(a);
    expect(lng).toBeCloseTo(101.935, 6);
    expect(lat).toBeCloseTo(38.265, 6);
    const multi: Geometry = { type: 'MultiPolygon', coordinates: [square(0, 0, 1).coordinates as never, square(10, 10, 3).coordinates as never] };
    expect(centreOf(multi)).toEqual([11.5, 11.5]);
  });

  it('spreads cases drawn at one centre, the same way every time', () => {
    const one = spread('case-1', 10);
    expect(spread('case-1', 10)).toEqual(one);
    expect(spread('case-2', 10)).not.toEqual(one);
    expect(Math.hypot(...one)).toBeLessThanOrEqual(10);
  });
});
