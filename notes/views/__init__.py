"""Note pages: the brand's (brand.py, mounted under /w/<eid>/ by notes/urls.py) and the staff console's
(platform.py, mounted under /platform/)."""
