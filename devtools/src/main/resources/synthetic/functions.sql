-- Helpers of the synthetic data generator (com.treebo.dataplatform.jobs.synthetic), installed in a
-- scratch schema "synthetic" of both source databases. Not part of the source contract: the
-- platform's extract jobs never read this schema.
--
-- Every pseudo-random value is a pure function of (row key, column salt, seed) built on
-- hashint8extended, the hash PostgreSQL itself keeps stable for hash partitioning. No random(), no
-- volatile state: a generated table does not depend on the plan, the scan order or parallelism.
-- The functions are single-expression IMMUTABLE SQL functions, so the planner inlines them.

CREATE SCHEMA IF NOT EXISTS synthetic;

-- A non-negative 63-bit hash of (key, salt, seed).
CREATE OR REPLACE FUNCTION synthetic.h(key bigint, salt integer, seed bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT hashint8extended(key, hashint8extended(seed, salt)) & 9223372036854775807 $$;

-- A uniform double in [0, 1) from (key, salt, seed).
CREATE OR REPLACE FUNCTION synthetic.u(key bigint, salt integer, seed bigint) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (synthetic.h(key, salt, seed) >> 10)::double precision / 9007199254740992.0 $$;

-- A uniform integer in [0, n) from (key, salt, seed).
CREATE OR REPLACE FUNCTION synthetic.pick(key bigint, salt integer, seed bigint, n integer) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (synthetic.h(key, salt, seed) % n)::integer $$;

-- Six base-36 digits of x (0 <= x < 36^6).
CREATE OR REPLACE FUNCTION synthetic.base36_6(x bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x / 60466176 % 36)::integer + 1, 1)
            || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x / 1679616 % 36)::integer + 1, 1)
            || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x / 46656 % 36)::integer + 1, 1)
            || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x / 1296 % 36)::integer + 1, 1)
            || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x / 36 % 36)::integer + 1, 1)
            || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (x % 36)::integer + 1, 1) $$;

-- 'TRB-' and six base-36 characters. Seed-independent on purpose: x -> (x * A + B) mod 36^6 is a
-- bijection (A is prime to 2 and 3), so codes are unique for every booking id below 36^6 whichever
-- seed generated or mutated the data.
CREATE OR REPLACE FUNCTION synthetic.booking_code(booking_id bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'TRB-' || synthetic.base36_6((booking_id * 1073741827 + 123456789) % 2176782336) $$;

-- Hotels are numbered by popularity; each offers room types 1..room_type_count (2 to 4).
CREATE OR REPLACE FUNCTION synthetic.room_type_count(hotel_id integer, seed bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 2 + synthetic.pick(hotel_id, 11, seed, 3) $$;

-- Index into catalog.hotel_category: 0 budget (40%), 1 premium (25%), 2 trend (20%), 3 partner (15%).
CREATE OR REPLACE FUNCTION synthetic.category_index(hotel_id integer, seed bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (synthetic.u(hotel_id, 12, seed) >= 0.40)::integer + (synthetic.u(hotel_id, 12, seed) >= 0.65)::integer
             + (synthetic.u(hotel_id, 12, seed) >= 0.85)::integer $$;

-- The published nightly rate of a room type at a hotel, INR: room type x category x hotel factor.
CREATE OR REPLACE FUNCTION synthetic.base_rate(hotel_id integer, room_type_id integer, seed bigint) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT round((ARRAY[1200, 1600, 2200, 3200])[room_type_id]
                     * (ARRAY[1.0, 1.35, 1.15, 0.9])[synthetic.category_index(hotel_id, seed) + 1]
                     * (0.8 + 0.6 * synthetic.u(hotel_id, 13, seed))::numeric / 10) * 10 $$;

-- Rooms held by booking: 1 (83%), 2 (14%) or 3 (3%); 1.2 on average.
CREATE OR REPLACE FUNCTION synthetic.rooms(booking_id bigint, seed bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 1 + (synthetic.u(booking_id, 21, seed) >= 0.83)::integer + (synthetic.u(booking_id, 21, seed) >= 0.97)::integer $$;

-- The room type of room r (1-based) of a booking at a hotel: one the hotel offers.
CREATE OR REPLACE FUNCTION synthetic.stay_room_type(booking_id bigint, r integer, hotel_id integer, seed bigint)
  RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 1 + synthetic.pick(booking_id * 4 + r, 22, seed, synthetic.room_type_count(hotel_id, seed)) $$;

-- The rate charged for room r of a booking: the base rate times demand (0.85-1.30), as 'xx49.00'.
CREATE OR REPLACE FUNCTION synthetic.nightly_rate(booking_id bigint, r integer, hotel_id integer, seed bigint)
  RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT greatest(499, round(synthetic.base_rate(hotel_id, synthetic.stay_room_type(booking_id, r, hotel_id, seed), seed)
                        * (0.85 + 0.45 * synthetic.u(booking_id * 4 + r, 23, seed))::numeric / 50) * 50 - 1) $$;

-- The hotel of a booking among hotels 1..hotels, Zipf-like: P(hotel <= k) ~ (ln(k + 1) / ln(hotels + 1))^0.8,
-- so the three most popular hotels hold 28% of the bookings at 800 hotels, 64% at 10.
CREATE OR REPLACE FUNCTION synthetic.booking_hotel(booking_id bigint, seed bigint, hotels integer) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT least(hotels, floor(exp(power(synthetic.u(booking_id, 202, seed), 1.25) * ln(hotels + 1.0))))::integer $$;

-- Sales channel: web 35%, app 25%, ota 25%, direct 8%, corporate 7%.
CREATE OR REPLACE FUNCTION synthetic.channel(booking_id bigint, seed bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY['web', 'app', 'ota', 'direct', 'corporate'])[1 + (synthetic.u(booking_id, 205, seed) >= 0.35)::integer
                 + (synthetic.u(booking_id, 205, seed) >= 0.60)::integer + (synthetic.u(booking_id, 205, seed) >= 0.85)::integer
                 + (synthetic.u(booking_id, 205, seed) >= 0.93)::integer] $$;

-- Nights of a stay: 1-3 (75%), 4-7 (18%), 8-13 (4%), 14-30 (3%).
CREATE OR REPLACE FUNCTION synthetic.nights(booking_id bigint, seed bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN synthetic.u(booking_id, 206, seed) < 0.75 THEN 1 + synthetic.pick(booking_id, 207, seed, 3)
                    WHEN synthetic.u(booking_id, 206, seed) < 0.93 THEN 4 + synthetic.pick(booking_id, 207, seed, 4)
                    WHEN synthetic.u(booking_id, 206, seed) < 0.97 THEN 8 + synthetic.pick(booking_id, 207, seed, 6)
                    ELSE 14 + synthetic.pick(booking_id, 207, seed, 17) END $$;

-- Free-form booking attributes: NULL (30%), else utm_source and coupon (often JSON null), corporate_id.
-- STABLE, not IMMUTABLE, only because jsonb_build_object is: an IMMUTABLE wrapper would not be inlined.
CREATE OR REPLACE FUNCTION synthetic.attributes(booking_id bigint, channel text, seed bigint) RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN synthetic.u(booking_id, 212, seed) < 0.30 THEN NULL
    ELSE jsonb_build_object(
           'utm_source', CASE channel
                           WHEN 'ota' THEN (ARRAY['makemytrip', 'goibibo', 'booking.com', 'agoda'])[1 + synthetic.pick(booking_id, 214, seed, 4)]
                           WHEN 'web' THEN (ARRAY['google', 'facebook', 'newsletter', NULL])[1 + synthetic.pick(booking_id, 214, seed, 4)]
                         END,
           'coupon', CASE WHEN synthetic.u(booking_id, 213, seed) < 0.15
                          THEN (ARRAY['TREEBO20', 'FLAT500', 'WEEKEND15', 'FIRSTSTAY'])[1 + synthetic.pick(booking_id, 215, seed, 4)] END)
         || CASE WHEN channel = 'corporate'
                 THEN jsonb_build_object('corporate_id', 'CORP-' || lpad((1 + synthetic.pick(booking_id, 216, seed, 200))::text, 4, '0'))
                 ELSE '{}'::jsonb END END $$;

-- total_amount of a booking: its rooms' nightly rates times nights, plus 12% tax.
CREATE OR REPLACE FUNCTION synthetic.total_amount(booking_id bigint, hotel_id integer, nights integer, seed bigint) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT round(nights * 1.12 * (synthetic.nightly_rate(booking_id, 1, hotel_id, seed)
             + CASE WHEN synthetic.rooms(booking_id, seed) >= 2 THEN synthetic.nightly_rate(booking_id, 2, hotel_id, seed) ELSE 0 END
             + CASE WHEN synthetic.rooms(booking_id, seed) >= 3 THEN synthetic.nightly_rate(booking_id, 3, hotel_id, seed) ELSE 0 END), 2) $$;

-- How a booking pays: upi, card, netbanking, wallet or (27%) pay_at_hotel, at checkout.
CREATE OR REPLACE FUNCTION synthetic.payment_method(booking_id bigint, seed bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY['upi', 'upi', 'upi', 'upi', 'card', 'card', 'card', 'netbanking', 'netbanking', 'wallet', 'wallet',
                      'pay_at_hotel', 'pay_at_hotel', 'pay_at_hotel', 'pay_at_hotel'])[1 + synthetic.pick(booking_id, 401, seed, 15)] $$;

-- Guest names: the same people in Latin, Devanagari, Kannada and Tamil script (parallel arrays).
-- first_name(script, i): script 0 Latin, 1 Devanagari, 2 Kannada, 3 Tamil; i in [0, 12).
CREATE OR REPLACE FUNCTION synthetic.first_name(script integer, i integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY[
    ARRAY['Priya', 'Rahul', 'Ananya', 'Arjun', 'Kavya', 'Karthik', 'Lakshmi', 'Suresh', 'Meera', 'Anil', 'Deepa', 'Vikram'],
    ARRAY['प्रिया', 'राहुल', 'अनन्या', 'अर्जुन', 'काव्या', 'कार्तिक', 'लक्ष्मी', 'सुरेश', 'मीरा', 'अनिल', 'दीपा', 'विक्रम'],
    ARRAY['ಪ್ರಿಯಾ', 'ರಾಹುಲ್', 'ಅನನ್ಯಾ', 'ಅರ್ಜುನ್', 'ಕಾವ್ಯಾ', 'ಕಾರ್ತಿಕ್', 'ಲಕ್ಷ್ಮಿ', 'ಸುರೇಶ್', 'ಮೀರಾ', 'ಅನಿಲ್', 'ದೀಪಾ', 'ವಿಕ್ರಮ್'],
    ARRAY['பிரியா', 'ராகுல்', 'அனன்யா', 'அர்ஜுன்', 'காவ்யா', 'கார்த்திக்', 'லட்சுமி', 'சுரேஷ்', 'மீரா', 'அனில்', 'தீபா', 'விக்ரம்']
  ])[script + 1][i + 1] $$;

-- last_name(script, i): i in [0, 10).
CREATE OR REPLACE FUNCTION synthetic.last_name(script integer, i integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY[
    ARRAY['Sharma', 'Kumar', 'Rao', 'Iyer', 'Reddy', 'Gowda', 'Patel', 'Nair', 'Singh', 'Menon'],
    ARRAY['शर्मा', 'कुमार', 'राव', 'अय्यर', 'रेड्डी', 'गौड़ा', 'पटेल', 'नायर', 'सिंह', 'मेनन'],
    ARRAY['ಶರ್ಮಾ', 'ಕುಮಾರ್', 'ರಾವ್', 'ಅಯ್ಯರ್', 'ರೆಡ್ಡಿ', 'ಗೌಡ', 'ಪಟೇಲ್', 'ನಾಯರ್', 'ಸಿಂಗ್', 'ಮೆನನ್'],
    ARRAY['சர்மா', 'குமார்', 'ராவ்', 'ஐயர்', 'ரெட்டி', 'கௌடா', 'படேல்', 'நாயர்', 'சிங்', 'மேனன்']
  ])[script + 1][i + 1] $$;

-- The 25 cities: the name the catalog shows (native script for some) and the other common name.
CREATE TABLE IF NOT EXISTS synthetic.city_seed (
  city_id    integer PRIMARY KEY,
  city_name  text NOT NULL,
  alt_name   text NOT NULL,
  city_code  text NOT NULL,
  state_name text NOT NULL,
  region     text NOT NULL
);
INSERT INTO synthetic.city_seed VALUES
  (1, 'ಬೆಂಗಳೂರು', 'Bengaluru', 'BLR', 'Karnataka', 'south'),
  (2, 'मुंबई', 'Mumbai', 'BOM', 'Maharashtra', 'west'),
  (3, 'New Delhi', 'नई दिल्ली', 'DEL', 'Delhi', 'north'),
  (4, 'Hyderabad', 'హైదరాబాద్', 'HYD', 'Telangana', 'south'),
  (5, 'சென்னை', 'Chennai', 'MAA', 'Tamil Nadu', 'south'),
  (6, 'Pune', 'पुणे', 'PNQ', 'Maharashtra', 'west'),
  (7, 'Kolkata', 'কলকাতা', 'CCU', 'West Bengal', 'east'),
  (8, 'Jaipur', 'जयपुर', 'JAI', 'Rajasthan', 'north'),
  (9, 'ಮೈಸೂರು', 'Mysuru', 'MYS', 'Karnataka', 'south'),
  (10, 'Panaji', 'Panjim', 'GOI', 'Goa', 'west'),
  (11, 'Ahmedabad', 'અમદાવાદ', 'AMD', 'Gujarat', 'west'),
  (12, 'Kochi', 'Cochin', 'COK', 'Kerala', 'south'),
  (13, 'Coimbatore', 'கோயம்புத்தூர்', 'CJB', 'Tamil Nadu', 'south'),
  (14, 'लखनऊ', 'Lucknow', 'LKO', 'Uttar Pradesh', 'north'),
  (15, 'Bhopal', 'भोपाल', 'BHO', 'Madhya Pradesh', 'central'),
  (16, 'Indore', 'इंदौर', 'IDR', 'Madhya Pradesh', 'central'),
  (17, 'Nagpur', 'नागपुर', 'NAG', 'Maharashtra', 'central'),
  (18, 'Bhubaneswar', 'ଭୁବନେଶ୍ୱର', 'BBI', 'Odisha', 'east'),
  (19, 'Guwahati', 'গুৱাহাটী', 'GAU', 'Assam', 'east'),
  (20, 'Chandigarh', 'ਚੰਡੀਗੜ੍ਹ', 'IXC', 'Chandigarh', 'north'),
  (21, 'ಮಂಗಳೂರು', 'Mangaluru', 'IXE', 'Karnataka', 'south'),
  (22, 'மதுரை', 'Madurai', 'IXM', 'Tamil Nadu', 'south'),
  (23, 'Visakhapatnam', 'Vizag', 'VTZ', 'Andhra Pradesh', 'south'),
  (24, 'Varanasi', 'वाराणसी', 'VNS', 'Uttar Pradesh', 'north'),
  (25, 'Udaipur', 'उदयपुर', 'UDR', 'Rajasthan', 'north')
ON CONFLICT (city_id) DO NOTHING;
