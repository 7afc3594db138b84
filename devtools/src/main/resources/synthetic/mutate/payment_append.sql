-- The day's ledger rows, payment_id from the column's sequence in order of paid_at: online payment
-- of the day's new bookings (booking_id > last_booking_id) that do not pay at the hotel; refunds
-- (negative) of what was paid for bookings booking_update.sql cancelled; payment at the hotel of
-- bookings that checked out and had paid nothing. Must run in booking_update.sql's transaction:
-- it finds the bookings saved today by updated_at = now(), the trigger's value. Reads
-- billing.payment once (no index on booking_id there: one scan, hash-joined).
-- Parameters: seed, round, last_booking_id, day_start.
WITH p0 AS (SELECT ?::bigint AS seed, ?::integer AS round, ?::bigint AS last_booking_id, ?::timestamptz AS day_start),
p AS (SELECT p0.*, synthetic.h(p0.round, 900, p0.seed) AS rseed FROM p0),
touched AS (
  SELECT b.booking_id, b.status, b.total_amount, b.cancelled_at, p.seed, p.rseed, p.day_start
  FROM p JOIN crs.booking b ON b.booking_id <= p.last_booking_id AND b.updated_at = now()
  WHERE (b.status = 'checked_out' OR (b.status = 'cancelled' AND b.cancelled_at >= p.day_start))
),
paid AS (
  SELECT pay.booking_id, sum(pay.amount) AS net, min(pay.method) AS method
  FROM billing.payment pay
  WHERE pay.booking_id IN (SELECT booking_id FROM touched)
  GROUP BY pay.booking_id
),
due AS (
  SELECT b.booking_id, 1 AS kind, b.total_amount AS amount, synthetic.payment_method(b.booking_id, p.seed) AS method,
         b.created_at + (1 + 29 * synthetic.u(b.booking_id, 403, p.seed)) * interval '1 minute' AS paid_at, p.seed
  FROM p JOIN crs.booking b ON b.booking_id > p.last_booking_id
  WHERE synthetic.payment_method(b.booking_id, p.seed) <> 'pay_at_hotel'
  UNION ALL
  SELECT t.booking_id, 2, -paid.net, paid.method, t.cancelled_at + synthetic.u(t.booking_id, 509, t.rseed) * interval '2 hours', t.seed
  FROM touched t JOIN paid ON paid.booking_id = t.booking_id
  WHERE t.status = 'cancelled' AND paid.net > 0
  UNION ALL
  SELECT t.booking_id, 3, t.total_amount, 'pay_at_hotel', t.day_start + synthetic.u(t.booking_id, 510, t.rseed) * interval '1 day', t.seed
  FROM touched t LEFT JOIN paid ON paid.booking_id = t.booking_id
  WHERE t.status = 'checked_out' AND paid.booking_id IS NULL
)
INSERT INTO billing.payment (booking_id, amount, method, gateway_ref, paid_at)
SELECT d.booking_id, d.amount, d.method,
       CASE WHEN d.method = 'pay_at_hotel' THEN 'POS-' WHEN d.amount < 0 THEN 'rfnd_' ELSE 'pay_' END
         || upper(substr(md5(d.booking_id || '/' || d.kind || '/' || d.paid_at || '/' || d.seed), 1, 14)),
       d.paid_at
FROM due d
ORDER BY d.paid_at, d.booking_id, d.kind
