package com.treebo.dataplatform.conf;

import java.time.Duration;

/**
 * The clickstream job's settings.
 *
 * @param landing folder where Firehose writes {@code year=/month=/day=/hour=} partitions
 * @param sessionGap inactivity that ends a session
 * @param lateArrivalWindow a run lists landed hours from the last hour the previous run listed minus
 *     this window, for objects landing late into hours already read
 * @param batchBytes a run reads at most about this many bytes of landed objects per batch: a run
 *     catching up on a long outage or a first deployment reads in several batches, each committed
 */
public record ClickstreamConfig(String landing, Duration sessionGap, Duration lateArrivalWindow, long batchBytes) {}
