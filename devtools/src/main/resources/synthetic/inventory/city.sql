-- catalog.city: the 25 cities of synthetic.city_seed, whatever the seed.
INSERT INTO catalog.city (city_id, city_name, state_name, region)
SELECT city_id, city_name, state_name, region
FROM synthetic.city_seed
ORDER BY city_id
