"""Years of province-wide activity generated for scale measurements (`cunwu seed --years N`)."""
