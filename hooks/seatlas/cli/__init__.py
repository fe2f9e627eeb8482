"""The editors' commands: `seatlas validate`, `schemas`, `new` and `geocode`."""
