// How the map draws the areas: plain functions (tested in Node, test/grids.test.js).

// Outline and fill per kind of unit: the larger the unit, the heavier its
// line and the lighter its fill, so that a grid stays readable inside its
// community inside its beat.
const STYLES = {
  police_room: { color: '#0c2c5a', weight: 3, dashArray: '8 6', fill: false },
  beat: { color: '#123d7a', weight: 2.5, fill: false },
  community: { color: '#2f6fc0', weight: 2, fillColor: '#2f6fc0', fillOpacity: 0.04 },
  village: { color: '#3a8f5c', weight: 2, fillColor: '#3a8f5c', fillOpacity: 0.05 },
  grid: { color: '#5b8def', weight: 1.2, fillColor: '#5b8def', fillOpacity: 0.12 },
};

export const KIND_ORDER = ['police_room', 'beat', 'community', 'village', 'grid'];

export function areaStyle(kind, { selected = false, heat = null } = {}) {
  const base = { ...(STYLES[kind] || STYLES.grid) };
  if (heat) Object.assign(base, { fill: true, fillColor: heat, fillOpacity: 0.65 });
  if (selected) Object.assign(base, { color: '#e6a700', weight: 4, dashArray: null });
  return base;
}

// Five steps from pale to deep orange; 0 of 0 is the palest.
export const HEAT_STEPS = ['#fff1e0', '#fdd0a2', '#fd8d3c', '#e6550d', '#a63603'];

export function heatColor(n, max) {
  if (!max || n <= 0) return HEAT_STEPS[0];
  const i = Math.ceil((n / max) * (HEAT_STEPS.length - 1));
  return HEAT_STEPS[Math.min(HEAT_STEPS.length - 1, Math.max(1, i))];
}

// The box [[south, west], [north, east]] of GeoJSON geometries (Polygon or
// MultiPolygon), or null when there are none.
export function geometryBounds(geometries) {
  let s = Infinity;
  let w = Infinity;
  let n = -Infinity;
  let e = -Infinity;
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
    } else c.forEach(visit);
  };
  for (const g of geometries) if (g && Array.isArray(g.coordinates)) visit(g.coordinates);
  return Number.isFinite(s)
    ? [
        [s, w],
        [n, e],
      ]
    : null;
}

// Units in drawing order: larger kinds first (so the smaller ones lie on top
// and take the clicks), then by tree order.
export function drawingOrder(units) {
  return [...units].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || String(a.path).localeCompare(String(b.path)));
}
