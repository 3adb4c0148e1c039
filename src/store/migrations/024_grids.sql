-- Grids on the map (DOMAIN §2): the grid workers (网格员) of a grid, village
-- or community besides its leader (网格长, org_units.leader_id) and, for a
-- village, its resident auxiliary officer (org_units.resident_aux_id). The
-- areas themselves are org_units.polygon (GeoJSON, checked by domain/geo.c).
CREATE TABLE grid_workers (
	org_id BIGINT NOT NULL REFERENCES org_units(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (org_id, user_id)
);
CREATE INDEX grid_workers_user ON grid_workers(user_id);
