import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaStyle, drawingOrder, geometryBounds, heatColor, HEAT_STEPS } from '../src/modules/grids/mapStyle.js';

test('heat: nothing is the palest step, the most the deepest, anything else in between', () => {
  assert.equal(heatColor(0, 0), HEAT_STEPS[0]);
  assert.equal(heatColor(0, 10), HEAT_STEPS[0]);
  assert.equal(heatColor(10, 10), HEAT_STEPS[HEAT_STEPS.length - 1]);
  assert.equal(heatColor(1, 100), HEAT_STEPS[1]);
  const mid = heatColor(5, 10);
  assert.ok(HEAT_STEPS.indexOf(mid) > 0 && HEAT_STEPS.indexOf(mid) < HEAT_STEPS.length - 1);
});

test('bounds of polygons and multipolygons; none without geometries', () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [106.6, 29.7],
        [106.61, 29.7],
        [106.61, 29.71],
        [106.6, 29.7],
      ],
    ],
  };
  const multi = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [106.5, 29.8],
          [106.52, 29.8],
          [106.52, 29.82],
          [106.5, 29.8],
        ],
      ],
    ],
  };
  assert.deepEqual(geometryBounds([square, null, multi]), [
    [29.7, 106.5],
    [29.82, 106.61],
  ]);
  assert.equal(geometryBounds([null]), null);
});

test('larger units are drawn first so grids take the clicks; the selected area stands out', () => {
  const order = drawingOrder([
    { id: 3, kind: 'grid', path: '/1/2/3/' },
    { id: 1, kind: 'beat', path: '/1/' },
    { id: 2, kind: 'community', path: '/1/2/' },
  ]).map((u) => u.id);
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(areaStyle('grid', { selected: true }).weight, 4);
  assert.equal(areaStyle('beat', { heat: '#fd8d3c' }).fillColor, '#fd8d3c');
  assert.equal(areaStyle('beat').fill, false);
});
