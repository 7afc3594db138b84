/**
 * Pure transforms: static functions from Dataset to Dataset, each stating its column contract.
 * Nothing in this package reads configuration or does I/O.
 */
package com.treebo.dataplatform.transforms;
