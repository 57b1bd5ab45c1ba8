"""Open data with a catalogue (issue 19, point 5): the metadata of the open datasets of /public/data
(`catalog`), published as DCAT-AP JSON-LD (`dcat`) and in CKAN's action-API shape (`ckan`) so that the
city's Satu Data portal can harvest it (`views`). See docs/open-data.md."""
