-- catalog.room_type: Treebo's four room types. Parameters: as_of.
WITH p AS (SELECT ?::timestamptz AS as_of)
INSERT INTO catalog.room_type (room_type_id, room_type_code, description, max_occupancy, updated_at)
SELECT t.room_type_id, t.code, t.description, t.max_occupancy, p.as_of - interval '430 days'
FROM p, (VALUES (1, 'acacia', 'Standard room, double bed', 2),
                (2, 'oak', 'Deluxe room, queen bed', 3),
                (3, 'maple', 'Premium room with work desk', 3),
                (4, 'mahogany', NULL, 4)) AS t (room_type_id, code, description, max_occupancy)
