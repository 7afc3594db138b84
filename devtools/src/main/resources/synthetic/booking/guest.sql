-- crm.guest, guest_id first_id..first_id + guests - 1, created evenly over [from, to) in id order;
-- when live, the application writes them now (updated_at = now()), else a quarter were edited
-- later (updated_at before as_of). Full names in Latin (70%), Devanagari,
-- Kannada or Tamil script, a few in lower or upper case or with a trailing space; emails from the
-- Latin spelling with mixed case and stray spaces (15% NULL); Indian mobile numbers in five formats
-- (10% NULL). Parameters: seed, first_id, guests, from, to, as_of, live.
WITH p AS (SELECT ?::bigint AS seed, ?::bigint AS first_id, ?::bigint AS guests, ?::timestamptz AS from_at,
                  ?::timestamptz AS to_at, ?::timestamptz AS as_of, ?::boolean AS live),
g AS (
  SELECT i AS guest_id, p.seed, p.as_of, p.live,
         (synthetic.u(i, 301, p.seed) >= 0.70)::integer + (synthetic.u(i, 301, p.seed) >= 0.80)::integer
           + (synthetic.u(i, 301, p.seed) >= 0.90)::integer AS script,
         synthetic.pick(i, 302, p.seed, 12) AS first_idx,
         synthetic.pick(i, 303, p.seed, 10) AS last_idx,
         synthetic.u(i, 304, p.seed) AS u_name,
         synthetic.u(i, 305, p.seed) AS u_email,
         synthetic.u(i, 306, p.seed) AS u_phone,
         (6000000000 + synthetic.h(i, 307, p.seed) % 4000000000)::text AS phone_digits,
         synthetic.u(i, 308, p.seed) < 0.08 AS is_corporate,
         p.from_at + (i - p.first_id + synthetic.u(i, 309, p.seed)) * ((p.to_at - p.from_at) / p.guests) AS created_at,
         1 + floor(25 * power(synthetic.u(i, 317, p.seed), 2))::integer AS city_id
  FROM p, generate_series(p.first_id, p.first_id + p.guests - 1) AS i
  OFFSET 0  -- a fence: later steps read these columns instead of re-evaluating their expressions
),
named AS (
  SELECT g.*,
         synthetic.first_name(g.script, g.first_idx) || ' ' || synthetic.last_name(g.script, g.last_idx) AS name,
         lower(synthetic.first_name(0, g.first_idx))
           || (ARRAY['.', '_', '', '.'])[1 + synthetic.pick(g.guest_id, 310, g.seed, 4)]
           || lower(synthetic.last_name(0, g.last_idx))
           || CASE WHEN synthetic.u(g.guest_id, 311, g.seed) < 0.5 THEN synthetic.pick(g.guest_id, 312, g.seed, 100)::text ELSE '' END
           || '@'
           || CASE WHEN g.is_corporate
                   THEN (ARRAY['infosys.com', 'tcs.com', 'wipro.com', 'accenture.com'])[1 + synthetic.pick(g.guest_id, 313, g.seed, 4)]
                   ELSE (ARRAY['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.co.in', 'outlook.com', 'rediffmail.com',
                               'hotmail.com'])[1 + synthetic.pick(g.guest_id, 313, g.seed, 7)] END AS email
  FROM g
  OFFSET 0
)
INSERT INTO crm.guest (guest_id, full_name, email, phone, home_city, is_corporate, created_at, updated_at)
SELECT n.guest_id,
       CASE WHEN n.script = 0 AND n.u_name < 0.04 THEN lower(n.name)
            WHEN n.script = 0 AND n.u_name < 0.06 THEN upper(n.name)
            WHEN n.u_name >= 0.98 THEN n.name || ' '
            ELSE n.name END,
       CASE WHEN n.u_email < 0.15 THEN NULL
            WHEN n.u_email < 0.25 THEN initcap(n.email)
            WHEN n.u_email < 0.28 THEN upper(n.email)
            WHEN n.u_email < 0.31 THEN ' ' || n.email
            WHEN n.u_email < 0.33 THEN n.email || '  '
            ELSE n.email END,
       CASE WHEN n.u_phone < 0.10 THEN NULL
            WHEN n.u_phone < 0.45 THEN '+91 ' || substr(n.phone_digits, 1, 5) || ' ' || substr(n.phone_digits, 6)
            WHEN n.u_phone < 0.65 THEN '0' || n.phone_digits
            WHEN n.u_phone < 0.90 THEN n.phone_digits
            WHEN n.u_phone < 0.96 THEN '+91' || n.phone_digits
            ELSE '+91-' || n.phone_digits END,
       CASE WHEN synthetic.u(n.guest_id, 314, n.seed) < 0.20 THEN NULL ELSE c.city_name END,
       n.is_corporate,
       n.created_at,
       CASE WHEN n.live THEN now()
            WHEN synthetic.u(n.guest_id, 315, n.seed) < 0.75 OR n.created_at >= n.as_of THEN n.created_at
            ELSE n.created_at + synthetic.u(n.guest_id, 316, n.seed) * (n.as_of - n.created_at) END
FROM named n
JOIN synthetic.city_seed c ON c.city_id = n.city_id
