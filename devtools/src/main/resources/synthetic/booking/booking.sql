-- crs.booking, booking_id 1..bookings in order of created_at. Hotels are Zipf-like skewed (hotel 1
-- is the busiest), stays mostly 1-3 nights with a tail to 30, ~15% cancelled, and every status
-- agrees with the dates as of as_of (Asia/Kolkata calendar). updated_at is the time of the last
-- status change, except that ~2% of the bookings share one instant: an application batch job
-- touched them in one transaction. total_amount is the room stays' rates plus 12% tax.
-- Parameters: seed, bookings, hotels, guests, as_of.
WITH p AS (SELECT ?::bigint AS seed, ?::bigint AS bookings, ?::integer AS hotels, ?::bigint AS guests,
                  ?::timestamptz AS as_of),
b0 AS (
  SELECT i AS booking_id, p.seed, p.as_of,
         p.as_of - interval '1 day' + interval '2 hours 30 minutes' AS batch_at,
         (p.as_of AT TIME ZONE 'Asia/Kolkata')::date AS today,
         p.as_of - interval '400 days' + (i - 1 + synthetic.u(i, 201, p.seed)) * (interval '400 days' / p.bookings) AS created_at,
         synthetic.booking_hotel(i, p.seed, p.hotels) AS hotel_id,
         -- Half the bookings are by the newest guest of the time, half by any earlier one (repeat guests).
         CASE WHEN synthetic.u(i, 203, p.seed) < 0.5 THEN greatest(1, p.guests * (i - 1) / p.bookings)
              ELSE 1 + floor(synthetic.u(i, 204, p.seed) * greatest(1, p.guests * (i - 1) / p.bookings))::bigint END AS guest_id,
         synthetic.channel(i, p.seed) AS channel,
         synthetic.nights(i, p.seed) AS nights,
         floor(90 * power(synthetic.u(i, 208, p.seed), 3))::integer AS lead_days,
         synthetic.u(i, 209, p.seed) AS u_status,
         synthetic.u(i, 210, p.seed) AS u_when,
         synthetic.u(i, 211, p.seed) AS u_batch
  FROM p, generate_series(1, p.bookings) AS i
  OFFSET 0  -- a fence: later steps read these columns instead of re-evaluating their expressions
),
b1 AS (
  SELECT b0.*,
         (b0.created_at AT TIME ZONE 'Asia/Kolkata')::date + b0.lead_days AS checkin_date,
         (b0.created_at AT TIME ZONE 'Asia/Kolkata')::date + b0.lead_days + b0.nights AS checkout_date
  FROM b0
),
b2 AS (
  SELECT b1.*,
         ((b1.checkin_date + time '12:00') AT TIME ZONE 'Asia/Kolkata') AS checkin_at,
         ((b1.checkout_date + time '11:00') AT TIME ZONE 'Asia/Kolkata') AS checkout_at,
         CASE WHEN b1.u_status < 0.15 THEN 'cancelled'
              WHEN b1.checkin_date >= b1.today THEN CASE WHEN b1.u_status < 0.40 THEN 'reserved' ELSE 'confirmed' END
              WHEN b1.u_status >= 0.98 THEN 'no_show'
              WHEN b1.checkout_date < b1.today THEN 'checked_out'
              ELSE 'checked_in' END AS status
  FROM b1
  OFFSET 0
),
b3 AS (
  SELECT b2.*,
         CASE WHEN b2.status = 'cancelled'
              THEN b2.created_at + b2.u_when * greatest(interval '0', least(b2.checkin_at, b2.as_of) - b2.created_at) END AS cancelled_at
  FROM b2
),
b4 AS (
  SELECT b3.*,
         least(b3.as_of, greatest(b3.created_at, CASE b3.status
           WHEN 'cancelled' THEN b3.cancelled_at
           WHEN 'reserved' THEN b3.created_at
           WHEN 'confirmed' THEN b3.created_at + b3.u_when * interval '2 hours'
           WHEN 'checked_in' THEN b3.checkin_at + b3.u_when * interval '6 hours'
           WHEN 'checked_out' THEN b3.checkout_at - b3.u_when * interval '2 hours'
           ELSE ((b3.checkin_date + 1 + time '03:00') AT TIME ZONE 'Asia/Kolkata') END)) AS last_change_at
  FROM b3
)
INSERT INTO crs.booking (booking_id, booking_code, hotel_id, guest_id, channel, status, checkin_date, checkout_date,
                         total_amount, currency, attributes, cancelled_at, created_at, updated_at)
SELECT b.booking_id,
       synthetic.booking_code(b.booking_id),
       b.hotel_id,
       b.guest_id,
       b.channel,
       b.status::crs.booking_status,
       b.checkin_date,
       b.checkout_date,
       synthetic.total_amount(b.booking_id, b.hotel_id, b.nights, b.seed),
       'INR',
       synthetic.attributes(b.booking_id, b.channel, b.seed),
       b.cancelled_at,
       b.created_at,
       CASE WHEN b.status <> 'cancelled' AND b.u_batch < 0.025 AND b.last_change_at <= b.batch_at THEN b.batch_at
            ELSE b.last_change_at END
FROM b4 b
