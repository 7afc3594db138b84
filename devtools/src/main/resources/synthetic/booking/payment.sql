-- billing.payment: the ledger of the generated bookings, payment_id in order of paid_at.
-- Prepaid bookings pay at booking time (25% of past stays in two parts); pay-at-hotel bookings pay
-- at checkout, so only checked-out ones have paid; 60% of cancelled bookings were paid and
-- refunded (negative amount, sometimes 80%). About 1.1 payments per booking. Reads crs.booking.
-- Cost: sorts all payments once (row_number). Parameters: seed, as_of.
WITH p AS (SELECT ?::bigint AS seed, ?::timestamptz AS as_of),
b AS (
  SELECT b.booking_id, b.status, b.total_amount, b.created_at, b.cancelled_at, p.seed, p.as_of,
         ((b.checkin_date + time '12:00') AT TIME ZONE 'Asia/Kolkata') AS checkin_at,
         ((b.checkout_date + time '10:00') AT TIME ZONE 'Asia/Kolkata') AS checkout_at,
         synthetic.payment_method(b.booking_id, p.seed) AS method,
         synthetic.u(b.booking_id, 402, p.seed) AS u_count,
         synthetic.u(b.booking_id, 403, p.seed) AS u_when
  FROM p, crs.booking b
),
counted AS (
  SELECT b.*,
         CASE WHEN b.method = 'pay_at_hotel' THEN CASE WHEN b.status = 'checked_out' THEN 1 ELSE 0 END
              WHEN b.status = 'cancelled' THEN CASE WHEN b.u_count < 0.4 THEN 0 ELSE 2 END
              WHEN b.u_count < 0.25 AND b.checkin_at < b.as_of THEN 2
              ELSE 1 END AS payments
  FROM b
),
rows AS (
  SELECT c.booking_id, k, c.method, c.seed,
         CASE WHEN c.method = 'pay_at_hotel' THEN c.total_amount
              WHEN c.status = 'cancelled' AND k = 2
                THEN -round(c.total_amount * CASE WHEN c.u_when < 0.7 THEN 1 ELSE 0.8 END, 2)
              WHEN c.status = 'cancelled' OR c.payments = 1 THEN c.total_amount
              WHEN k = 1 THEN round(c.total_amount * 0.3, 2)
              ELSE c.total_amount - round(c.total_amount * 0.3, 2) END AS amount,
         least(c.as_of, CASE WHEN c.method = 'pay_at_hotel' THEN c.checkout_at - c.u_when * interval '90 minutes'
                             WHEN k = 1 THEN c.created_at + (1 + 29 * c.u_when) * interval '1 minute'
                             WHEN c.status = 'cancelled' THEN c.cancelled_at + c.u_when * interval '3 days'
                             ELSE c.checkin_at + c.u_when * interval '4 hours' END) AS paid_at
  FROM counted c, generate_series(1, c.payments) AS k
)
INSERT INTO billing.payment (payment_id, booking_id, amount, method, gateway_ref, paid_at)
SELECT row_number() OVER (ORDER BY r.paid_at, r.booking_id, r.k),
       r.booking_id, r.amount, r.method,
       CASE WHEN r.method = 'pay_at_hotel' THEN CASE WHEN synthetic.u(r.booking_id, 404, r.seed) < 0.5 THEN NULL ELSE 'POS-' END
            WHEN r.amount < 0 THEN 'rfnd_' ELSE 'pay_' END
         || upper(substr(md5(r.booking_id || '/' || r.k || '/' || r.seed), 1, 14)),
       r.paid_at
FROM rows r
