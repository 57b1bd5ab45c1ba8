"""Reference data: kemantren, kelurahan and categories of Kota Yogyakarta."""
