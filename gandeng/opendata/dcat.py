"""The catalogue as DCAT-AP JSON-LD (DCAT v3 terms; served at /public/data/catalog.jsonld).

A dcat:Catalog of dcat:Dataset entries, each with two dcat:Distribution (CSV and JSON). The variables
are described with the W3C CSV on the Web vocabulary (csvw:tableSchema on each distribution, the same
schema node for both): csvw:name, csvw:title, dct:description (the definition), csvw:datatype,
csvw:required, schema:unitText / schema:unitCode (unit), dct:conformsTo (the reference code list, a
skos:ConceptScheme). The @context is inline: a harvester needs nothing from the network to read it."""
from gandeng.opendata import catalog

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
EU = "http://publications.europa.eu/resource/authority/"
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
FORMATS = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json")}
THEMES = (EU + "data-theme/SOCI", EU + "data-theme/GOVE")  # population and society; government
LANGUAGES = (EU + "language/IND", EU + "language/ENG")  # of the catalogue's texts
DATA_LANGUAGE = EU + "language/IND"  # of the files' contents (names of places, categories, partners)


def _texts(text: catalog.Text) -> list[dict]:
    return [{"@value": text.id, "@language": "id"}, {"@value": text.en, "@language": "en"}]


def _iri(value: str) -> dict:
    return {"@id": value}


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _moment(value) -> dict:
    return {"@value": value.replace(microsecond=0).isoformat() + "Z", "@type": "xsd:dateTime"}


def _publisher(agent: catalog.Agent) -> dict:
    return {"@id": agent.url, "@type": "foaf:Agent", "foaf:name": agent.name, "foaf:homepage": _iri(agent.url)}


def _contact(point: catalog.Contact) -> dict:
    node = {"@type": "vcard:Organization", "vcard:fn": point.name, "vcard:hasURL": _iri(point.url)}
    if point.email:
        node["vcard:hasEmail"] = _iri(f"mailto:{point.email}")
    return node


def _spatial() -> dict:
    node = {"@type": "dct:Location", "skos:prefLabel": _texts(catalog.SPATIAL),
            "dct:identifier": catalog.SPATIAL_CODE}
    box = catalog.bounding_box()
    if box:
        west, south, east, north = box
        node["dcat:bbox"] = {"@type": "gsp:wktLiteral", "@value": (
            f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))")}
    return node


def _code_list(codes: catalog.CodeList) -> dict:
    return {"@id": catalog.absolute(f"/public/data/catalog.jsonld#codes-{codes.key}"),
            "@type": "skos:ConceptScheme", "dct:title": _texts(codes.title),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": codes.authority},
            "rdfs:seeAlso": _iri(catalog.absolute(codes.path))}


def _column(variable: catalog.Variable) -> dict:
    kind = variable.kind
    node = {"@type": "csvw:Column", "csvw:name": variable.name, "csvw:title": variable.name,
            "dct:description": _texts(variable.definition), "schema:unitText": _texts(variable.unit),
            "csvw:datatype": {"@id": f"xsd:{kind.datatype}"}, "csvw:required": kind.required}
    if kind.unit_code:
        node["schema:unitCode"] = kind.unit_code
    if kind.codes:
        node["dct:conformsTo"] = _code_list(kind.codes)
    return node


def _schema(dataset: catalog.OpenDataset) -> dict:
    return {"@id": catalog.absolute(f"/public/data/catalog.jsonld#schema-{dataset.name}"),
            "@type": "csvw:Schema", "csvw:column": {"@list": [_column(v) for v in dataset.variables]}}


def _distribution(dataset: catalog.OpenDataset, extension: str, licence: dict, modified, schema: dict) -> dict:
    label, media_type = FORMATS[extension]
    url = catalog.absolute(f"/public/data/{dataset.name}.{extension}")
    node = {
        "@id": f"{url}#distribution", "@type": "dcat:Distribution",
        "dct:title": [{"@value": f"{dataset.title.id} ({label})", "@language": "id"},
                      {"@value": f"{dataset.title.en} ({label})", "@language": "en"}],
        "dcat:accessURL": _iri(url), "dcat:downloadURL": _iri(url),
        "dcat:mediaType": _iri(MEDIA_TYPES + media_type), "dct:format": _iri(f"{EU}file-type/{label}"),
        "dct:license": licence, "csvw:tableSchema": schema,
    }
    if modified is not None:
        node["dct:modified"] = _moment(modified)
    return node


def _distributions(dataset: catalog.OpenDataset, licence: dict, modified) -> list[dict]:
    """The CSV and the JSON file; both hold the same table, whose schema is written out once."""
    schema = _schema(dataset)
    found = []
    for extension in FORMATS:
        found.append(_distribution(dataset, extension, licence, modified, schema))
        schema = {"@id": schema["@id"]}
    return found


def _dataset(dataset: catalog.OpenDataset, shared: dict, period, modified) -> dict:
    page = catalog.absolute(f"/public/data#data-{dataset.name}")
    node = {
        "@id": page, "@type": "dcat:Dataset", "dct:identifier": dataset.package_name,
        "dct:title": _texts(dataset.title), "dct:description": _texts(dataset.description),
        "dcat:keyword": [value for keyword in dataset.keywords for value in _texts(keyword)],
        "dcat:theme": [_iri(theme) for theme in THEMES], "dct:language": _iri(DATA_LANGUAGE),
        "dcat:landingPage": _iri(page), "dct:license": shared["licence"], "dct:accessRights": shared["access"],
        "dct:publisher": shared["publisher"], "dcat:contactPoint": shared["contact"],
        "dct:spatial": shared["spatial"], "dct:accrualPeriodicity": shared["frequency"],
        "dcat:distribution": _distributions(dataset, shared["licence"], modified),
    }
    if period is not None:
        node["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(period.start),
                                "dcat:endDate": _date(period.end)}
    if modified is not None:
        node["dct:modified"] = _moment(modified)
    return node


def catalogue(session) -> dict:
    """The whole catalogue as a JSON-LD document (needs a request: its URLs are absolute)."""
    modified = catalog.last_modified(session)
    periods = catalog.coverage(session)
    shared = {
        "licence": {"@id": catalog.LICENCE["url"], "@type": "dct:LicenseDocument",
                    "dct:title": catalog.LICENCE["title"]},
        "access": _iri(EU + "access-right/PUBLIC"),
        "publisher": _publisher(catalog.publisher()),
        "contact": _contact(catalog.contact()),
        "spatial": _spatial(),
        "frequency": {"@id": catalog.FREQUENCY_URI, "@type": "dct:Frequency",
                      "skos:prefLabel": _texts(catalog.FREQUENCY)},
    }
    document = {
        "@context": CONTEXT,
        "@id": catalog.absolute("/public/data/catalog.jsonld"), "@type": "dcat:Catalog",
        "dct:title": _texts(catalog.CATALOGUE_TITLE), "dct:description": _texts(catalog.CATALOGUE_DESCRIPTION),
        "foaf:homepage": _iri(catalog.absolute("/public/data")), "dct:publisher": shared["publisher"],
        "dct:license": shared["licence"], "dct:language": [_iri(lang) for lang in LANGUAGES],
        "dcat:contactPoint": shared["contact"],
        "dcat:dataset": [_dataset(d, shared, periods.get(d.name), modified) for d in catalog.datasets()],
    }
    if modified is not None:
        document["dct:modified"] = _moment(modified)
    return document
