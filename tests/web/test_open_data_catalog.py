"""The open-data catalogue (issue 19, point 5): /public/data/catalog.jsonld read as RDF with rdflib and
checked against the DCAT vocabulary, every column of every file documented (and nothing more), the
JSON files equal to the CSVs, and the CKAN action API in CKAN's shape."""
import csv
import io
import warnings
from datetime import date

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import CSVW, DCAT, DCTERMS, FOAF, SKOS, XSD

from gandeng.opendata import catalog
from gandeng.reports import public
from gandeng.reports.tabular import csv_cell
from tests.web.test_public_page import build_city

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VCARD_TERMS = {VCARD[t] for t in ("Organization", "Kind", "fn", "hasEmail", "hasURL")}  # vCard in RDF, the part used
CATALOGUE = "/public/data/catalog.jsonld"


def conforms(value, datatype: str) -> bool:
    """A CSV cell (text) or JSON value holds the XSD datatype the catalogue gives (empty: no value)."""
    if value in ("", None):
        return True
    text = str(value)
    if datatype == "integer":
        return text.lstrip("-").isdigit()
    if datatype == "date":
        return date.fromisoformat(text).isoformat() == text
    return datatype == "string" and isinstance(value, str)


def read_catalogue(client) -> Graph:
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    with warnings.catch_warnings():
        # rdflib 7's own JSON-LD parser builds a ConjunctiveGraph, which rdflib itself deprecates.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=response.data, format="json-ld")


def csv_rows(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def languages(graph, subject, predicate) -> set:
    return {value.language for value in graph.objects(subject, predicate) if isinstance(value, Literal)}


def test_catalogue_uses_only_terms_of_the_dcat_and_related_vocabularies(client, session):
    build_city(session)
    graph = read_catalogue(client)
    used = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    for namespace, known in ((DCAT, DCAT), (DCTERMS, DCTERMS), (CSVW, CSVW), (FOAF, FOAF), (SKOS, SKOS)):
        for term in (t for t in used if str(t).startswith(str(namespace))):
            assert term in known, f"{term} is not a term of {namespace}"
    for term in (t for t in used if str(t).startswith(str(VCARD))):
        assert term in VCARD_TERMS, term
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    datasets = set(graph.objects(catalogues[0], DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(public.OPEN_DATA)


def test_every_dataset_has_the_satu_data_elements_and_downloads_that_answer(client, session):
    build_city(session)
    graph = read_catalogue(client)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert languages(graph, dataset, DCTERMS.title) == {"id", "en"}
        assert languages(graph, dataset, DCTERMS.description) == {"id", "en"}
        assert one(graph, dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
        publisher = one(graph, dataset, DCTERMS.publisher)
        assert str(one(graph, publisher, FOAF.name)) == "Pemerintah Kota Yogyakarta"
        contact = one(graph, dataset, DCAT.contactPoint)
        assert str(one(graph, contact, VCARD.fn)) == "Sekretariat Program Gandeng Gendong"
        assert one(graph, dataset, DCTERMS.accrualPeriodicity) == URIRef(catalog.FREQUENCY_URI)
        spatial = one(graph, dataset, DCTERMS.spatial)
        assert str(one(graph, spatial, DCTERMS.identifier)) == "34.71"
        assert one(graph, spatial, DCAT.bbox).datatype == URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
        period = one(graph, dataset, DCTERMS.temporal)
        assert one(graph, period, DCAT.startDate).datatype == XSD.date
        assert len(set(graph.objects(dataset, DCAT.keyword))) >= 4
        formats = set()
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(one(graph, distribution, DCAT.downloadURL))
            media_type = str(one(graph, distribution, DCAT.mediaType)).rsplit("/", 2)
            response = client.get(url.removeprefix("http://localhost"))
            assert response.status_code == 200, url
            assert response.mimetype == "/".join(media_type[-2:])
            assert one(graph, distribution, DCTERMS.license) == one(graph, dataset, DCTERMS.license)
            formats.add(str(one(graph, distribution, DCTERMS.format)).rsplit("/", 1)[-1])
        assert formats == {"CSV", "JSON"}


def test_sparql_finds_no_dataset_without_title_licence_publisher_or_download(client, session):
    build_city(session)
    graph = read_catalogue(client)
    incomplete = graph.query("""
        SELECT ?dataset WHERE {
          ?dataset a dcat:Dataset .
          FILTER NOT EXISTS {
            ?dataset dct:title ?title ; dct:description ?description ; dct:license ?licence ;
                     dct:publisher ?publisher ; dcat:distribution ?distribution .
            ?distribution dcat:downloadURL ?url ; dcat:mediaType ?type ; dct:format ?format .
          }
        }""", initNs={"dcat": DCAT, "dct": DCTERMS})
    assert list(incomplete) == []
    assert graph.query("""
        ASK { ?catalogue a dcat:Catalog ; dct:title ?title ; dct:description ?description ;
                         dct:publisher ?publisher ; dct:license ?licence ; dcat:dataset ?dataset . }""",
                       initNs={"dcat": DCAT, "dct": DCTERMS}).askAnswer


def test_every_column_of_every_file_is_documented_and_nothing_else(client, session):
    build_city(session)
    graph = read_catalogue(client)
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(one(graph, distribution, DCAT.downloadURL)).removeprefix("http://localhost")
        schema = one(graph, distribution, CSVW.tableSchema)
        columns = list(Collection(graph, one(graph, schema, CSVW.column)))
        documented = [str(one(graph, column, CSVW.name)) for column in columns]
        if url.endswith(".csv"):
            header, *rows = csv_rows(client, url)
        else:
            records = client.get(url).get_json()
            header = list(records[0]) if records else documented
            rows = [list(record.values()) for record in records]
        assert documented == header, url
        for position, column in enumerate(columns):
            assert languages(graph, column, DCTERMS.description) == {"id", "en"}
            assert languages(graph, column, URIRef("http://schema.org/unitText")) == {"id", "en"}
            datatype = str(one(graph, column, CSVW.datatype)).removeprefix(str(XSD))
            for row in rows:  # the values are of the type the catalogue says
                assert conforms(row[position], datatype), (url, header[position], row[position])


def test_texts_are_in_indonesian_and_english_whatever_the_visitors_language(client):
    with client.session_transaction() as browser:
        browser["lang"] = "en"  # a visitor reading the site in English gets the same bilingual catalogue
    graph = read_catalogue(client)
    dataset = URIRef("http://localhost/public/data#data-kelurahan")
    titles = {title.language: str(title) for title in graph.objects(dataset, DCTERMS.title)}
    assert titles == {"id": "Gandeng Gendong: Per kelurahan", "en": "Gandeng Gendong: By kelurahan"}
    column = next(graph.subjects(CSVW.name, Literal("kelurahan_code")))
    definitions = {text.language: str(text) for text in graph.objects(column, DCTERMS.description)}
    assert definitions == {"id": "Kode kelurahan (Kepmendagri)", "en": "Kelurahan code (Kepmendagri)"}


def test_every_column_known_to_the_metadata_module_is_used_by_a_dataset():
    used = {column.name for dataset in public.OPEN_DATA for column in dataset.columns}
    assert set(catalog.KINDS) == used


def test_area_codes_refer_to_the_kepmendagri_code_list_and_hold_its_codes(client, session):
    build_city(session)
    graph = read_catalogue(client)
    wilayah = client.get("/api/v1/wilayah").get_json()["items"]  # the code list the catalogue points to
    codes = {kelurahan["code"] for kemantren in wilayah for kelurahan in kemantren["kelurahan"]}
    kelurahan_code = next(graph.subjects(CSVW.name, Literal("kelurahan_code")))
    scheme = one(graph, kelurahan_code, DCTERMS.conformsTo)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    titles = {title.language: str(title) for title in graph.objects(scheme, DCTERMS.title)}
    assert "Kepmendagri No. 300.2.2-2138 Tahun 2025" in titles["id"]
    assert str(one(graph, scheme, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))).endswith("/api/v1/wilayah")
    header, *rows = csv_rows(client, "/public/data/kelurahan.csv")
    assert {row[header.index("kelurahan_code")] for row in rows} == codes


def test_the_period_is_computed_from_the_data(client, session):
    build_city(session)  # completions on 10 March and 1 April 2026 (03:00 UTC: the same days in WIB)
    graph = read_catalogue(client)
    dataset = URIRef("http://localhost/public/data#data-collaborations")
    period = one(graph, dataset, DCTERMS.temporal)
    assert one(graph, period, DCAT.startDate).toPython() == date(2026, 3, 10)
    assert one(graph, period, DCAT.endDate).toPython() == date(2026, 4, 1)
    figures = one(graph, URIRef("http://localhost/public/data#data-kelurahan"), DCTERMS.temporal)
    assert one(graph, figures, DCAT.startDate).toPython() <= one(graph, figures, DCAT.endDate).toPython()


def test_a_city_without_completions_has_no_period_for_them(client, session):
    graph = read_catalogue(client)
    assert not list(graph.objects(URIRef("http://localhost/public/data#data-partners"), DCTERMS.temporal))


def test_producer_and_contact_are_settings(app, client, session):
    app.config.update(OPEN_DATA_PUBLISHER="Dinas Sosial Kota Yogyakarta", PUBLIC_BASE_URL="https://data.example.id",
                      OPEN_DATA_CONTACT_EMAIL="data@example.id")
    graph = read_catalogue(client)
    dataset = URIRef("https://data.example.id/public/data#data-kelurahan")
    assert str(one(graph, one(graph, dataset, DCTERMS.publisher), FOAF.name)) == "Dinas Sosial Kota Yogyakarta"
    assert one(graph, one(graph, dataset, DCAT.contactPoint), VCARD.hasEmail) == URIRef("mailto:data@example.id")
    package = client.get("/api/3/action/package_show?id=gandeng-gendong-kelurahan").get_json()["result"]
    assert package["author"] == "Dinas Sosial Kota Yogyakarta" and package["maintainer_email"] == "data@example.id"
    assert package["resources"][0]["url"] == "https://data.example.id/public/data/kelurahan.csv"


# --- each CSV as JSON --------------------------------------------------------------------------------

def test_json_file_holds_the_same_rows_as_the_csv(client, session):
    build_city(session)
    for dataset in public.OPEN_DATA:
        header, *rows = csv_rows(client, f"/public/data/{dataset.name}.csv")
        response = client.get(f"/public/data/{dataset.name}.json")
        assert response.status_code == 200 and response.mimetype == "application/json"
        records = response.get_json()
        assert rows, f"the test city gives {dataset.name} rows"
        assert [[str(csv_cell(record[name])) for name in header] for record in records] == rows, dataset.name
        assert all(list(record) == header for record in records)


def test_json_numbers_are_numbers_and_an_unreported_count_is_null(client, session):
    build_city(session)
    records = client.get("/public/data/collaborations.json").get_json()
    assert {record["completed_on"] for record in records} == {"2026-03-10", "2026-04-01"}
    assert all(isinstance(record["committed_rp"], int) for record in records)
    assert client.get("/public/data/users.json").status_code == 404


def test_json_catalogue_and_packages_are_cached_like_the_csvs(client, session):
    paths = ["/public/data/kelurahan.json", CATALOGUE, "/api/3/action/package_show?id=gandeng-gendong-kelurahan"]
    first = {path: client.get(path) for path in paths}
    for path, response in first.items():
        assert response.status_code == 200 and response.headers["ETag"], path
        assert "public" in response.headers["Cache-Control"] and "max-age=60" in response.headers["Cache-Control"]
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304, path
    build_city(session)  # a write changes the figures: a new body, a new ETag
    for path, response in first.items():
        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 200 and again.headers["ETag"] != response.headers["ETag"], path


# --- CKAN's action API ----------------------------------------------------------------------------

def test_package_list_names_every_dataset(client):
    body = client.get("/api/3/action/package_list").get_json()
    assert body["success"] is True and body["help"].endswith("/api/3/action/help_show?name=package_list")
    assert body["result"] == [f"gandeng-gendong-{dataset.name}" for dataset in public.OPEN_DATA]


def test_package_show_has_the_fields_a_ckan_harvester_reads(client, session):
    build_city(session)
    for name in client.get("/api/3/action/package_list").get_json()["result"]:
        body = client.get(f"/api/3/action/package_show?id={name}").get_json()
        assert body["success"] is True
        package = body["result"]
        assert package["name"] == name and package["license_id"] == "cc-by" and package["isopen"] is True
        assert package["title"] and package["notes"] and package["metadata_modified"]
        assert package["organization"]["name"] == "gandeng-gendong"
        assert package["organization"]["title"] == "Pemerintah Kota Yogyakarta"
        assert {tag["name"] for tag in package["tags"]} >= {"kemiskinan", "Kota Yogyakarta"}
        extras = {extra["key"]: extra["value"] for extra in package["extras"]}
        assert extras["frequency"] == catalog.FREQUENCY_URI and extras["temporal_start"] <= extras["temporal_end"]
        assert [resource["format"] for resource in package["resources"]] == ["CSV", "JSON"]
        csv_header = csv_rows(client, package["resources"][0]["url"].removeprefix("http://localhost"))[0]
        for resource in package["resources"]:
            assert client.get(resource["url"].removeprefix("http://localhost")).status_code == 200
            assert resource["name"] and resource["description"] and resource["package_id"] == package["id"]
            assert [field["name"] for field in resource["schema"]["fields"]] == csv_header
        same = client.get(f"/api/3/action/package_show?id={name.removeprefix('gandeng-gendong-')}").get_json()
        assert same["result"]["id"] == package["id"]  # stable, whichever name is asked


def test_package_show_of_an_unknown_or_missing_id_answers_in_ckan_error_shape(client):
    response = client.get("/api/3/action/package_show?id=users")
    assert response.status_code == 404
    assert response.get_json()["success"] is False
    assert response.get_json()["error"] == {"__type": "Not Found Error", "message": "Not found"}
    missing = client.get("/api/3/action/package_show")
    assert missing.status_code == 409 and missing.get_json()["error"]["__type"] == "Validation Error"
    unknown = client.get("/api/3/action/package_delete")
    assert unknown.status_code == 400 and unknown.get_json()["success"] is False


def test_package_search_pages_with_rows_and_start(client):
    everything = client.get("/api/3/action/package_search?rows=1000").get_json()["result"]
    assert everything["count"] == len(public.OPEN_DATA)
    page = client.get("/api/3/action/package_search?rows=2&start=2").get_json()["result"]
    assert [p["name"] for p in page["results"]] == [p["name"] for p in everything["results"][2:4]]
    assert client.get("/api/3/action/package_search?rows=dua").status_code == 409


def test_the_help_link_of_every_answer_leads_to_help(client):
    for action in ("package_list", "package_search", "organization_list", "status_show"):
        help_url = client.get(f"/api/3/action/{action}").get_json()["help"]
        answer = client.get(help_url.removeprefix("http://localhost"))
        assert answer.status_code == 200 and answer.get_json()["result"], action
    assert client.get("/api/3/action/help_show?name=package_delete").status_code == 404


def test_organization_list_and_status_show(client):
    assert client.get("/api/3/action/organization_list").get_json()["result"] == ["gandeng-gendong"]
    status = client.get("/api/3/action/status_show").get_json()["result"]
    assert status["site_url"] == "http://localhost" and status["locale_default"] == "id"


def test_open_data_page_links_the_catalogue_and_every_json_file(client):
    page = client.get("/public/data").get_data(as_text=True)
    assert CATALOGUE in page and "/api/3/action/package_list" in page
    for dataset in public.OPEN_DATA:
        assert f"/public/data/{dataset.name}.json" in page
