import L from 'leaflet';
import { measureCameras, measureCoverage } from './api';
import { coverageColour, sectorPoints } from './geometry';

// The measures' layers of the grid map (web/src/modules/grids/GridMap.vue):
// kept here so the map's own file only calls them.

const CAMERA_COLOURS = { working: '#1565c0', faulty: '#c0392b' };

// Draws the cameras of bounds into group: each a point with its field of
// view as a sector; tooltip label and status; a click calls open(id).
export async function drawCameras(group, bounds, { t, textEl, open }) {
  const res = await measureCameras({ south: bounds.getSouth(), west: bounds.getWest(), north: bounds.getNorth(), east: bounds.getEast() });
  for (const c of res.items) {
    const colour = CAMERA_COLOURS[c.status] || CAMERA_COLOURS.working;
    const tip = () =>
      textEl(
        c.label || t('measures.kinds.camera'),
        `${t(`measures.statuses.${c.status}`)} · ${t(`measures.ownerKinds.${c.owner_kind}`)}`,
        `${t('measures.direction')} ${c.direction}° · ${t('measures.viewAngle')} ${c.view_angle}°`,
      );
    L.polygon(sectorPoints(c.lat, c.lng, c.direction, c.view_angle), {
      color: colour,
      weight: 1,
      fillOpacity: 0.2,
      pmIgnore: true,
      className: 'fq-point fq-camera-sector',
    })
      .bindTooltip(tip())
      .on('click', () => open(c.id))
      .addTo(group);
    L.circleMarker([c.lat, c.lng], { radius: 5, color: colour, weight: 2, fillColor: '#fff', fillOpacity: 1, pmIgnore: true, className: 'fq-point fq-camera' })
      .bindTooltip(tip())
      .on('click', () => open(c.id))
      .addTo(group);
  }
  return res.truncated;
}

// Unit id → fill colour of each grid by the share of its homes with a
// working measure of kind (the caller's unit's grids).
export async function coverageColours(kind) {
  const res = await measureCoverage({ kind });
  return new Map(res.grids.map((g) => [g.id, coverageColour(g.share)]));
}
