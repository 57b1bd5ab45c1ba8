"""Sister pairing (issue 17): one campus and one company accompany each kampung for a year."""
