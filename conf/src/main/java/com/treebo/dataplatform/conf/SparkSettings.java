package com.treebo.dataplatform.conf;

/** Session settings the platform sets itself; on EMR the master comes from spark-submit. */
public record SparkSettings(String master, int shufflePartitions, String timeZone) {}
