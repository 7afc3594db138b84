package com.treebo.dataplatform.conf;

import java.time.Duration;

/**
 * The clickstream job's settings.
 *
 * @param landing folder where Firehose writes {@code year=/month=/day=/hour=} partitions
 * @param sessionGap inactivity that ends a session
 * @param lateArrivalWindow how far back landed hours are looked at again for late objects
 * @param relinkWindow how far back (session dates) orders not yet linked to a booking are looked up again
 */
public record ClickstreamConfig(String landing, Duration sessionGap, Duration lateArrivalWindow, Duration relinkWindow) {}
