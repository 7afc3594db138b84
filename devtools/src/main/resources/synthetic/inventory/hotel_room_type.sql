-- catalog.hotel_room_type: every hotel offers room types 1..synthetic.room_type_count (2 to 4),
-- the three most popular hotels with the most rooms. Parameters: seed, as_of.
WITH p AS (SELECT ?::bigint AS seed, ?::timestamptz AS as_of)
INSERT INTO catalog.hotel_room_type (hotel_id, room_type_id, room_count, base_rate, updated_at)
SELECT h.hotel_id, t.room_type_id,
       (CASE WHEN h.hotel_id <= 3 THEN 40 ELSE 4 END) + synthetic.pick(h.hotel_id * 4 + t.room_type_id, 121, p.seed, 25),
       synthetic.base_rate(h.hotel_id, t.room_type_id, p.seed),
       h.created_at + synthetic.u(h.hotel_id * 4 + t.room_type_id, 122, p.seed) * (p.as_of - h.created_at)
FROM p, catalog.hotel h, generate_series(1, synthetic.room_type_count(h.hotel_id, p.seed)) AS t (room_type_id)
ORDER BY h.hotel_id, t.room_type_id
