"""Entity sets the sandbox publishes, per configuration profile, with the attribute names and
string lengths of the real configuration dumps (shared/reference/onec/*.txt).

Keys are the OData property names: a reference attribute `X` is declared as `X_Key`, a composite
one as `X` (its `X_Type` companion is added automatically).

The declarations live in one module per profile (schema_bp30, schema_ut11) over the shared
building blocks in schema_common; this module is what the rest of the sandbox imports.
"""

from . import schema_bp30, schema_ut11
from .schema_common import (
    EMPTY_DATE,
    PLATFORM,
    UNDEFINED_TYPE,
    ZERO_GUID,
    EntitySet,
    F,
    Profile,
)

__all__ = [
    "EMPTY_DATE",
    "PLATFORM",
    "PROFILES",
    "UNDEFINED_TYPE",
    "ZERO_GUID",
    "EntitySet",
    "F",
    "Profile",
]

PROFILES: dict[str, Profile] = {p.key: p for p in (schema_bp30.PROFILE, schema_ut11.PROFILE)}
