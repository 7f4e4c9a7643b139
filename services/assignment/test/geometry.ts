import type { GridGeometry } from '@gridcase/contracts';

/** A rectangle as a GeoJSON polygon, in degrees. */
export const box = (west: number, south: number, east: number, north: number): GridGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});
