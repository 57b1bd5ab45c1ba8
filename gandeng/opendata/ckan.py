"""The catalogue in the shape of CKAN's action API (API version 3), for a CKAN portal that harvests
with ckanext-harvest's CKAN harvester or reads package_list / package_show itself.

Every answer is CKAN's envelope `{"help", "success", "result"}` (errors: `"error"` in place of
`"result"`, with `__type` and `message` as CKAN writes them). Ids are UUIDs derived from the dataset's
name, so they stay the same on every machine and after a database rebuild."""
import uuid
from urllib.parse import quote

from gandeng.db import utcnow
from gandeng.opendata import catalog

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://gandeng-gendong/open-data")
ORGANISATION_NAME = "gandeng-gendong"
FORMATS = (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))
# The CKAN release whose action-API answers these follow (status_show's ckan_version).
API_LEVEL = "2.10.0"
FRICTIONLESS_TYPES = {"integer": "integer", "string": "string", "date": "date"}


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def help_url(action: str) -> str:
    return catalog.absolute(f"/api/3/action/help_show?name={quote(action, safe='')}")


def envelope(action: str, result) -> dict:
    return {"help": help_url(action), "success": True, "result": result}


def error(action: str, kind: str, message: str, **fields) -> dict:
    return {"help": help_url(action), "success": False, "error": {"__type": kind, "message": message, **fields}}


def _moment(value) -> str:
    """CKAN's timestamps: naive UTC ISO with microseconds (now, for figures that never changed)."""
    return (value or utcnow()).strftime("%Y-%m-%dT%H:%M:%S.%f")


def organisation() -> dict:
    publisher = catalog.publisher()
    return {
        "id": stable_id("organization"), "name": ORGANISATION_NAME, "title": publisher.name,
        "description": f"{catalog.CATALOGUE_DESCRIPTION.id}\n\n{catalog.CATALOGUE_DESCRIPTION.en}",
        "type": "organization", "is_organization": True, "state": "active", "approval_status": "approved",
        "image_url": "", "created": None,
    }


def table_schema(dataset: catalog.OpenDataset) -> dict:
    """The variables as a Frictionless Table Schema (the resource `schema` of ckanext-validation)."""
    fields = []
    for variable in dataset.variables:
        field = {"name": variable.name, "title": variable.definition.id, "description": variable.definition.en,
                 "type": FRICTIONLESS_TYPES[variable.kind.datatype], "unit": variable.unit.id,
                 "constraints": {"required": variable.kind.required}}
        if variable.kind.unit_code:
            field["unitCode"] = variable.kind.unit_code
        if variable.kind.codes:
            field["referenceCodes"] = {"title": variable.kind.codes.title.id,
                                       "authority": variable.kind.codes.authority,
                                       "url": catalog.absolute(variable.kind.codes.path)}
        fields.append(field)
    return {"fields": fields}


def _resources(dataset: catalog.OpenDataset, package_id: str, modified) -> list[dict]:
    resources = []
    for position, (extension, label, media_type) in enumerate(FORMATS):
        resources.append({
            "id": stable_id("resource", dataset.name, extension), "package_id": package_id,
            "name": f"{dataset.name}.{extension}",
            "description": f"{dataset.title.id} ({label}). {dataset.title.en} ({label}).",
            "url": catalog.absolute(f"/public/data/{dataset.name}.{extension}"),
            "format": label, "mimetype": media_type, "position": position, "state": "active",
            "url_type": None, "last_modified": modified, "metadata_modified": modified,
            "schema": table_schema(dataset),
        })
    return resources


def package(dataset: catalog.OpenDataset, period, modified_at) -> dict:
    """The CKAN package dict of `dataset`."""
    package_id = stable_id("package", dataset.name)
    modified = _moment(modified_at)
    point, publisher = catalog.contact(), catalog.publisher()
    extras = {
        "title_en": dataset.title.en, "notes_en": dataset.description.en,
        "frequency": catalog.FREQUENCY_URI, "frequency_text": catalog.FREQUENCY.id,
        "spatial_text": catalog.SPATIAL.id, "spatial_code": catalog.SPATIAL_CODE,
        "publisher_name": publisher.name, "publisher_uri": publisher.url,
        "contact_name": point.name, "contact_email": point.email, "contact_uri": point.url,
        "language": "id", "dcat_catalog": catalog.absolute("/public/data/catalog.jsonld"),
        "uri": catalog.absolute(f"/public/data#data-{dataset.name}"),
        "reference_codes": ", ".join(sorted({v.kind.codes.title.id for v in dataset.variables if v.kind.codes})),
    }
    if period is not None:
        extras.update(temporal_start=period.start.isoformat(), temporal_end=period.end.isoformat())
    tags = [{"name": keyword.id, "display_name": keyword.id, "state": "active", "vocabulary_id": None,
             "id": stable_id("tag", keyword.id)} for keyword in dataset.keywords]
    resources = _resources(dataset, package_id, modified)
    org = organisation()
    return {
        "id": package_id, "name": dataset.package_name, "title": dataset.title.id,
        "notes": f"{dataset.description.id}\n\n{dataset.description.en}",
        "type": "dataset", "state": "active", "private": False, "isopen": True,
        "license_id": catalog.LICENCE["ckan_id"], "license_title": catalog.LICENCE["title"],
        "license_url": catalog.LICENCE["url"],
        "author": publisher.name, "author_email": "", "maintainer": point.name, "maintainer_email": point.email,
        "url": catalog.absolute(f"/public/data#data-{dataset.name}"), "version": None,
        "metadata_modified": modified, "organization": org, "owner_org": org["id"],
        "tags": tags, "num_tags": len(tags), "groups": [],
        "extras": [{"key": key, "value": value} for key, value in extras.items()],
        "resources": resources, "num_resources": len(resources),
        "relationships_as_object": [], "relationships_as_subject": [],
    }


def packages(session) -> list[dict]:
    """Every open dataset as a CKAN package dict."""
    periods, modified = catalog.coverage(session), catalog.last_modified(session)
    return [package(dataset, periods.get(dataset.name), modified) for dataset in catalog.datasets()]


def package_dict(session, dataset: catalog.OpenDataset) -> dict:
    return package(dataset, catalog.coverage(session).get(dataset.name), catalog.last_modified(session))
