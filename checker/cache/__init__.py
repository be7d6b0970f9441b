"""What is worked out once and kept between runs, in the user's cache folder."""
