package com.treebo.dataplatform.devtools.synthetic;

/**
 * The table sizes the generator derives from the number of bookings: guests = bookings / 2 (at
 * least 10), hotels = bookings / 2000 clamped to [10, 800]. Cities (25) and room types (4) are
 * fixed; room stays (~1.2 per booking) and payments (~1.1 per booking) follow from the bookings.
 */
record Sizes(long bookings, long guests, int hotels) {
  Sizes {
    if (bookings < 1 || bookings >= 2_176_782_336L) {
      throw new IllegalArgumentException("bookings must be in [1, 36^6) so that booking codes stay unique, got " + bookings);
    }
  }

  static Sizes of(long bookings) {
    long hotels = Math.max(10, Math.min(800, bookings / 2000));
    return new Sizes(bookings, Math.max(10, bookings / 2), (int) hotels);
  }
}
