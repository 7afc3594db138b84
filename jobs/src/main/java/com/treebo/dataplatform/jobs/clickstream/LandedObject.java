package com.treebo.dataplatform.jobs.clickstream;

import java.io.Serializable;

/**
 * One object Firehose wrote to the landing zone.
 *
 * @param key the object's full URI (e.g. {@code s3a://bucket/clickstream/landing/year=.../x.gz})
 * @param landedHour the UTC hour of its {@code year=/month=/day=/hour=} folder, {@code yyyy-MM-ddTHH}
 * @param size bytes, compressed
 */
public record LandedObject(String key, String landedHour, long size) implements Serializable {}
