-- One day of activity in the inventory service: a few hotels (2 x fraction of them, at least one)
-- change category or star rating, and the room count of one of their room types; one city is
-- renamed to its other common name (catalog.city has no updated_at: only a full re-read sees it).
-- Returns: hotels updated, hotel room types updated, cities renamed.
-- Parameters: seed, round, fraction.
WITH p0 AS (SELECT ?::bigint AS seed, ?::integer AS round, ?::double precision AS fraction),
p AS (SELECT p0.*, synthetic.h(p0.round, 900, p0.seed) AS rseed FROM p0),
chosen AS (
  SELECT h.hotel_id, p.rseed
  FROM p, catalog.hotel h
  ORDER BY synthetic.h(h.hotel_id, 601, p.rseed), h.hotel_id
  LIMIT (SELECT greatest(1, ceil(count(*) * (SELECT fraction FROM p) * 2))::integer FROM catalog.hotel)
),
hotels AS (
  UPDATE catalog.hotel h
  SET category = CASE WHEN synthetic.u(c.hotel_id, 602, c.rseed) < 0.5
                      THEN (enum_range(NULL::catalog.hotel_category))[1 + array_position(enum_range(NULL::catalog.hotel_category), h.category) % 4]
                      ELSE h.category END,
      star_rating = CASE WHEN synthetic.u(c.hotel_id, 602, c.rseed) < 0.5 THEN h.star_rating
                         WHEN h.star_rating IS NULL THEN 3.0
                         WHEN h.star_rating >= 4.5 THEN 4.0
                         ELSE h.star_rating + 0.5 END
  FROM chosen c
  WHERE h.hotel_id = c.hotel_id
  RETURNING 1
),
rooms AS (
  UPDATE catalog.hotel_room_type r
  SET room_count = greatest(0, r.room_count + (ARRAY[-3, -2, -1, 1, 2, 3])[1 + synthetic.pick(c.hotel_id, 603, c.rseed, 6)])
  FROM chosen c
  WHERE r.hotel_id = c.hotel_id AND r.room_type_id = 1 + synthetic.pick(c.hotel_id, 604, c.rseed, 2)
  RETURNING 1
),
renamed AS (
  UPDATE catalog.city c
  SET city_name = CASE WHEN c.city_name = s.city_name THEN s.alt_name ELSE s.city_name END
  FROM p, synthetic.city_seed s
  WHERE s.city_id = c.city_id AND c.city_id = 1 + synthetic.pick(p.round, 605, p.seed, 25)
  RETURNING 1
)
SELECT (SELECT count(*) FROM hotels), (SELECT count(*) FROM rooms), (SELECT count(*) FROM renamed)
