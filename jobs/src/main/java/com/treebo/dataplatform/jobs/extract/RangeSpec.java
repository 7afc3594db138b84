package com.treebo.dataplatform.jobs.extract;

import java.io.Serializable;

/**
 * One Spark partition of a slice: a half-open range of the first key column, in SQL, ready to be
 * ANDed to the slice's predicate. {@code "TRUE"} for a slice read in one partition.
 */
record RangeSpec(int index, String predicate) implements Serializable {}
