"""Reading an archived copy as a browser does: the banner page, then the copy its frame loads."""

from __future__ import annotations

import re

_FRAME = re.compile(r'<iframe class="archive-copy" src="([^"]+)" sandbox=""')


def framed(client, banner_html: str):
    """The response for the copy the banner page frames, asked for as a frame asks (Sec-Fetch-Dest)."""
    src = _FRAME.search(banner_html).group(1).replace("&amp;", "&")
    return client.get(src, headers={"Sec-Fetch-Dest": "iframe"})


def archived_copy(client, source_id: int) -> bytes:
    """The captured page as the archive serves it: the framed copy for HTML, else the page itself."""
    response = client.get(f"/sources/{source_id}/archive/")
    assert response.status_code == 200, response.status_code
    html = response.content.decode() if "text/html" in response["Content-Type"] else ""
    if not _FRAME.search(html):
        return response.content
    return b"".join(framed(client, html).streaming_content)
