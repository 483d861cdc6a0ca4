"""The error answers every operation can give, declared once for the whole schema.

ninja documents only what a route lists. The answers below come from layers every operation
shares (the request guard, the session authentication, the CSRF check, the database), so they
are added to each operation here rather than repeated in 87 decorators.
"""

from typing import Any

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = {"post", "put", "patch", "delete"}

DESCRIPTIONS = {
    400: "The request could not be read: a body that is not JSON, or a request too large.",
    401: "Not signed in.",
    403: "Not allowed for the caller's role or agency, or the CSRF token is missing or wrong.",
    404: "Not found, or not within what the caller's role and agency may see.",
    422: "Invalid input; each error names its field (a NUL character, a date out of range, "
    "a value of the wrong type, a rule of the law broken).",
    503: "The database does not answer; try again later (see Retry-After).",
}


def codes_for(path: str, method: str) -> set[int]:
    codes = {400, 401, 422, 503}
    if "{" in path:
        codes.add(404)
    if method in UNSAFE:
        codes.add(403)
    return codes


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error answers, with the one error schema, to every operation."""
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            declared = {int(code) for code in responses}
            for code in sorted(codes_for(path, method) - declared):
                responses[code] = {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                }
            operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return schema
