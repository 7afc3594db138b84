-- New bookings made on the simulated day after day_start, booking_id first_id.. in order of
-- created_at, all still ahead of their stay (reserved or confirmed, check-in 1-60 days later).
-- Half are by the day's new guests (old_guests + 1 .. old_guests + new_guests), half by earlier
-- guests. updated_at is left to the column default, now(), as the application does.
-- Parameters: seed, first_id, bookings, day_start, hotels, old_guests, new_guests.
WITH p AS (SELECT ?::bigint AS seed, ?::bigint AS first_id, ?::bigint AS bookings, ?::timestamptz AS day_start,
                  ?::integer AS hotels, ?::bigint AS old_guests, ?::bigint AS new_guests),
b AS (
  SELECT i AS booking_id, p.seed,
         p.day_start + (i - p.first_id + synthetic.u(i, 201, p.seed)) * (interval '1 day' / p.bookings) AS created_at,
         synthetic.booking_hotel(i, p.seed, p.hotels) AS hotel_id,
         CASE WHEN synthetic.u(i, 203, p.seed) < 0.5 AND p.new_guests > 0
              THEN p.old_guests + 1 + (i - p.first_id) * p.new_guests / p.bookings
              ELSE 1 + floor(synthetic.u(i, 204, p.seed) * p.old_guests)::bigint END AS guest_id,
         synthetic.channel(i, p.seed) AS channel,
         synthetic.nights(i, p.seed) AS nights,
         1 + floor(59 * power(synthetic.u(i, 208, p.seed), 2))::integer AS lead_days,
         synthetic.u(i, 209, p.seed) < 0.3 AS reserved
  FROM p, generate_series(p.first_id, p.first_id + p.bookings - 1) AS i
  OFFSET 0  -- a fence: the columns are computed once
)
INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date, checkout_date,
                         total_amount, currency, attributes, created_at)
SELECT b.booking_id,
       synthetic.booking_code(b.booking_id),
       b.hotel_id,
       b.guest_id,
       b.channel,
       (CASE WHEN b.reserved THEN 'reserved' ELSE 'confirmed' END)::crs.booking_status,
       (b.created_at AT TIME ZONE 'Asia/Kolkata')::date + b.lead_days,
       (b.created_at AT TIME ZONE 'Asia/Kolkata')::date + b.lead_days + b.nights,
       synthetic.total_amount(b.booking_id, b.hotel_id, b.nights, b.seed),
       'INR',
       synthetic.attributes(b.booking_id, b.channel, b.seed),
       b.created_at
FROM b
