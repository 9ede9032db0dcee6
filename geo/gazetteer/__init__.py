"""The gazetteer: which places exist, under which names.

Owns the compact index and its lookups (`index`), building `data/gazetteer.csv` from pinned
packages and supplements (`build`, `sources`, `admin2`, `supplement`, `rows`) and importing
GeoNames dumps (`geonames`). May use only `geo.models`, `geo.names` and `geo.errors`.
"""

from geo.gazetteer.index import DEFAULT_CSV, DEFAULT_INDEX, Gazetteer, build_index, import_geonames

__all__ = ["DEFAULT_CSV", "DEFAULT_INDEX", "Gazetteer", "build_index", "import_geonames"]
