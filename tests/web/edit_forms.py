"""Opening an edit form as a browser does: the hidden field that says which version it shows."""

import re

OPENED = re.compile(r'name="_opened" value="([^"]+)"')


def opened(client, url: str) -> str:
    """The signed version token of the edit form at `url`, as the page gives it."""
    response = client.get(url)
    assert response.status_code == 200
    found = OPENED.search(response.content.decode())
    assert found is not None, "the edit form carries no version"
    return found.group(1)
