-- catalog.hotel, hotel_id 1..hotels in order of popularity (the booking generator books hotel 1
-- most). Parameters: seed, hotels, as_of.
WITH p AS (SELECT ?::bigint AS seed, ?::integer AS hotels, ?::timestamptz AS as_of),
h AS (
  SELECT i AS hotel_id, p.seed, p.as_of,
         1 + floor(25 * power(synthetic.u(i, 101, p.seed), 2))::integer AS city_id,
         (ARRAY['Central', 'Airport Road', 'Station Road', 'Lakeview', 'Old Town', 'Market', 'Tech Park', 'Residency',
                'Gardens', 'Hill View', 'Riverside', 'Palace Road', 'Beach Road', 'Civil Lines', 'Ring Road',
                'University'])[1 + synthetic.pick(i, 102, p.seed, 16)] AS locality,
         synthetic.category_index(i, p.seed) AS category_index,
         p.as_of - interval '430 days' + synthetic.u(i, 103, p.seed) * interval '30 days' AS created_at
  FROM p, generate_series(1, p.hotels) AS i
)
INSERT INTO catalog.hotel (hotel_id, hotel_code, hotel_name, city_id, category, star_rating, opened_on,
                           checkin_time, is_active, created_at, updated_at)
SELECT h.hotel_id,
       c.city_code || '-' || upper(replace(h.locality, ' ', '')) || '-' || lpad(h.hotel_id::text, 3, '0'),
       CASE h.category_index
         WHEN 3 THEN 'Hotel ' || (ARRAY['Sai Residency', 'Shree Krishna Inn', 'Royal Palace', 'Green Park',
                                         'Sri Balaji Comforts', 'Grand Heritage'])[1 + synthetic.pick(h.hotel_id, 104, h.seed, 6)]
         ELSE 'Treebo ' || (ARRAY['', 'Premium ', 'Trend '])[1 + h.category_index] || h.locality || ', ' || c.city_name
       END,
       h.city_id,
       (ARRAY['budget', 'premium', 'trend', 'partner'])[1 + h.category_index]::catalog.hotel_category,
       CASE WHEN synthetic.u(h.hotel_id, 105, h.seed) < (CASE h.category_index WHEN 3 THEN 0.6 ELSE 0.05 END) THEN NULL
            ELSE 2.5 + 0.5 * synthetic.pick(h.hotel_id, 106, h.seed, 5) END,
       CASE WHEN synthetic.u(h.hotel_id, 107, h.seed) < 0.05 THEN NULL
            ELSE (h.as_of - interval '400 days')::date - synthetic.pick(h.hotel_id, 108, h.seed, 2800) END,
       (ARRAY['12:00', '12:00', '12:00', '12:00', '11:00', '13:00', '14:00', '10:30', '12:30'])
           [1 + synthetic.pick(h.hotel_id, 109, h.seed, 9)]::time,
       synthetic.u(h.hotel_id, 110, h.seed) >= 0.04,
       h.created_at,
       CASE WHEN synthetic.u(h.hotel_id, 111, h.seed) < 0.5 THEN h.created_at
            ELSE h.created_at + synthetic.u(h.hotel_id, 112, h.seed) * (h.as_of - h.created_at) END
FROM h JOIN synthetic.city_seed c ON c.city_id = h.city_id
ORDER BY h.hotel_id
