-- crs.room_stay for the bookings with booking_id > after_booking_id: synthetic.rooms rooms per
-- booking (1.2 on average), for the booking's dates, of room types the hotel offers, last saved
-- with the booking. New ids continue after the largest one, densely, in booking order.
-- Reads crs.booking; sorts the new room stays once (row_number). Parameters: seed, after_booking_id.
WITH p AS (SELECT ?::bigint AS seed, ?::bigint AS after_booking_id)
INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults, children,
                           nightly_rate, updated_at)
SELECT (SELECT coalesce(max(room_stay_id), 0) FROM crs.room_stay) + row_number() OVER (ORDER BY s.booking_id, s.r),
       s.booking_id, s.room_type_id, s.checkin_date, s.checkout_date,
       1 + synthetic.pick(s.booking_id * 4 + s.r, 231, s.seed, (ARRAY[2, 3, 3, 4])[s.room_type_id]),
       CASE WHEN s.room_type_id > 1 AND synthetic.u(s.booking_id * 4 + s.r, 232, s.seed) < 0.2 THEN 1 ELSE 0 END,
       synthetic.nightly_rate(s.booking_id, s.r, s.hotel_id, s.seed),
       s.updated_at
FROM (SELECT b.booking_id, r, b.hotel_id, b.checkin_date, b.checkout_date, b.updated_at, p.seed,
             synthetic.stay_room_type(b.booking_id, r, b.hotel_id, p.seed) AS room_type_id
      FROM p, crs.booking b, generate_series(1, synthetic.rooms(b.booking_id, p.seed)) AS r
      WHERE b.booking_id > p.after_booking_id) s
