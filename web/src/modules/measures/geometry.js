// Plain drawing rules of the measures' map layers (tested in Node,
// test/measures.test.js): a camera's field of view as a sector, and the
// colour of a grid by the share of its homes covered.

const EARTH_M = 6371000;

// The corners [lat, lng] of a sector at (lat, lng) looking at direction
// (degrees clockwise from north), angle wide, radius metres long; a full
// circle for 360°. Leaflet draws it as a polygon.
export function sectorPoints(lat, lng, direction, angle, radius = 120, steps = 12) {
  const full = angle >= 360;
  const start = full ? 0 : direction - angle / 2;
  const sweep = full ? 360 : angle;
  const pts = full ? [] : [[lat, lng]];
  const dLat = (radius / EARTH_M) * (180 / Math.PI);
  const dLng = dLat / Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i <= steps; i++) {
    const b = ((start + (sweep * i) / steps) * Math.PI) / 180;
    pts.push([lat + dLat * Math.cos(b), lng + dLng * Math.sin(b)]);
  }
  return pts;
}

// Five steps from red (few homes covered) to green (most); null share
// (no homes) is grey.
export const COVERAGE_STEPS = ['#d7301f', '#fc8d59', '#fee08b', '#91cf60', '#1a9850'];

export function coverageColour(share) {
  if (share === null || share === undefined) return '#bdbdbd';
  const i = Math.floor((Math.max(0, Math.min(100, share)) / 100) * COVERAGE_STEPS.length);
  return COVERAGE_STEPS[Math.min(COVERAGE_STEPS.length - 1, i)];
}
