-- Grids at district size (docs/PERFORMANCE.md, "Grids at district size").
-- The bounding box of a unit's drawn area (degrees), set with the polygon
-- (store/grid_store.c), so that placing an address reads only the grids
-- whose box holds it instead of every grid of the station; areas drawn
-- before this migration get theirs the first time placing a point reads
-- them (domain/grid.c, fq_grid_place).
ALTER TABLE org_units ADD COLUMN area_south DOUBLE PRECISION;
ALTER TABLE org_units ADD COLUMN area_west DOUBLE PRECISION;
ALTER TABLE org_units ADD COLUMN area_north DOUBLE PRECISION;
ALTER TABLE org_units ADD COLUMN area_east DOUBLE PRECISION;
-- The map's addresses layer asks for the addresses in a box: a street-level
-- box reads its few hundred rows by latitude instead of the station's all.
CREATE INDEX addresses_point ON addresses(lat, lng);
-- The incidents layer (the calls of a day or a month, newest first) and the
-- heat (calls of a period counted per unit) read the period's calls in time
-- order, with their unit's path in the index, instead of walking every call
-- of the station's scope.
CREATE INDEX incidents_received ON incidents(received_at, org_path);
