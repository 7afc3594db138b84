-- One day of application activity on existing bookings (booking_id <= last_booking_id): exactly
-- round(last_booking_id * fraction) of them are saved once, so the trigger sets their updated_at;
-- open bookings (reserved, confirmed, checked in) are 20 times as likely to be picked as closed
-- ones. Status moves forward as of the simulated day after day_start (reserved -> confirmed ->
-- checked_in -> checked_out; 15% of open ones cancel, with cancelled_at on that day); bookings
-- with no status change get a note in attributes. Half of the still-future ones (and always the
-- first of them) change their stay: checkout_date and total_amount change, and their room stays
-- are DELETED and inserted again under new ids, as the application does.
-- Cost: one scan of crs.booking and a top-N sort of the picked rows.
-- Returns: bookings updated, room stays deleted, room stays inserted.
-- Parameters: seed, round, fraction, last_booking_id, day_start.
WITH p0 AS (SELECT ?::bigint AS seed, ?::integer AS round, ?::double precision AS fraction,
                   ?::bigint AS last_booking_id, ?::timestamptz AS day_start),
p AS (SELECT p0.*, synthetic.h(p0.round, 900, p0.seed) AS rseed,
             ((p0.day_start + interval '1 day') AT TIME ZONE 'Asia/Kolkata')::date AS today
      FROM p0),
touched AS (
  SELECT b.booking_id, b.status::text AS old_status, b.checkin_date, b.checkout_date, b.total_amount,
         p.round, p.rseed, p.today,
         p.day_start + synthetic.u(b.booking_id, 503, p.rseed) * interval '1 day' AS event_at,
         synthetic.u(b.booking_id, 502, p.rseed) AS u_status
  FROM p JOIN crs.booking b ON b.booking_id <= p.last_booking_id
  ORDER BY CASE WHEN b.status IN ('reserved', 'confirmed', 'checked_in') THEN 0.05 ELSE 1 END
             * synthetic.u(b.booking_id, 501, p.rseed), b.booking_id
  LIMIT (SELECT round(last_booking_id * fraction)::bigint FROM p0)
),
moved AS (
  SELECT t.*,
         CASE WHEN t.old_status IN ('reserved', 'confirmed') AND t.u_status < 0.15 THEN 'cancelled'
              WHEN t.old_status IN ('reserved', 'confirmed') AND t.checkin_date <= t.today THEN 'checked_in'
              WHEN t.old_status = 'reserved' THEN 'confirmed'
              WHEN t.old_status = 'checked_in' AND t.checkout_date <= t.today THEN 'checked_out'
              ELSE t.old_status END AS new_status
  FROM touched t
),
eligible AS (
  SELECT m.*, m.new_status IN ('reserved', 'confirmed') AND m.checkin_date > m.today AS may_change_stay
  FROM moved m
),
planned AS (
  SELECT m.*,
         m.may_change_stay
           AND (synthetic.u(m.booking_id, 504, m.rseed) < 0.5
                OR m.booking_id = min(m.booking_id) FILTER (WHERE m.may_change_stay) OVER ()) AS change_stay,
         m.checkout_date - m.checkin_date AS old_nights,
         CASE WHEN m.checkout_date - m.checkin_date > 1 AND synthetic.u(m.booking_id, 505, m.rseed) < 0.5
              THEN m.checkout_date - m.checkin_date - 1
              ELSE m.checkout_date - m.checkin_date + 1 + synthetic.pick(m.booking_id, 506, m.rseed, 2) END AS new_nights
  FROM eligible m
),
updated AS (
  UPDATE crs.booking b
  SET status = x.new_status::crs.booking_status,
      cancelled_at = CASE WHEN x.new_status = 'cancelled' AND x.old_status <> 'cancelled' THEN x.event_at ELSE b.cancelled_at END,
      checkout_date = CASE WHEN x.change_stay THEN x.checkin_date + x.new_nights ELSE b.checkout_date END,
      total_amount = CASE WHEN x.change_stay THEN round(b.total_amount * x.new_nights / x.old_nights, 2) ELSE b.total_amount END,
      attributes = CASE WHEN x.new_status <> x.old_status OR x.change_stay THEN b.attributes
                        WHEN x.old_status = 'checked_out'
                          THEN coalesce(b.attributes, '{}'::jsonb) || jsonb_build_object('feedback_score', 1 + synthetic.pick(x.booking_id, 507, x.rseed, 5))
                        ELSE coalesce(b.attributes, '{}'::jsonb) || jsonb_build_object('special_request',
                               (ARRAY['late checkin', 'early checkin', 'extra bed', 'airport pickup'])[1 + synthetic.pick(x.booking_id, 508, x.rseed, 4)])
                   END
  FROM planned x
  WHERE b.booking_id = x.booking_id
  RETURNING b.booking_id, x.change_stay, b.checkin_date, b.checkout_date
),
removed AS (
  DELETE FROM crs.room_stay s
  USING updated u
  WHERE s.booking_id = u.booking_id AND u.change_stay
  RETURNING s.room_stay_id, s.booking_id, s.room_type_id, s.adults, s.children, s.nightly_rate, u.checkin_date, u.checkout_date
),
replaced AS (
  INSERT INTO crs.room_stay (room_stay_id, booking_id, room_type_id, checkin_date, checkout_date, adults, children, nightly_rate)
  SELECT (SELECT coalesce(max(room_stay_id), 0) FROM crs.room_stay) + row_number() OVER (ORDER BY r.booking_id, r.room_stay_id),
         r.booking_id, r.room_type_id, r.checkin_date, r.checkout_date, r.adults, r.children, r.nightly_rate
  FROM removed r
  RETURNING 1
)
SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM removed), (SELECT count(*) FROM replaced)
