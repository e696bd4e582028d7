"""matrix-nio against any homeserver: images uploaded by one user, downloaded with their thumbnails by another.

Usage:
  nio_media.py upload HOMESERVER_URL            registers alice and bob, alice uploads four images (JPEG, PNG,
                                                animated GIF, WebP) made here with Pillow; prints the state as JSON
  nio_media.py fetch HOMESERVER_URL STATE_JSON  bob (by the state's token) downloads each image and two thumbnails
                                                (96x96 crop, 320x240 scale) through nio, and reads their sizes
The two steps may run with the media server restarted in between. The last stdout line is one JSON object; checks that
fail are listed in "failures" and the exit code stays 0.
"""

import asyncio
import hashlib
import io
import json
import secrets
import sys

from nio import (AsyncClient, DownloadResponse, RegisterResponse, ResizingMethod, ThumbnailResponse, UploadResponse)
from PIL import Image

# Each image: (name, content type, Pillow format, width, height, frames).
IMAGES = [
    ("photo.jpg", "image/jpeg", "JPEG", 1000, 500, 1),
    ("square.png", "image/png", "PNG", 640, 640, 1),
    ("moving.gif", "image/gif", "GIF", 300, 200, 3),
    ("wide.webp", "image/webp", "WEBP", 800, 400, 1),
]


def make_image(fmt: str, width: int, height: int, frames: int) -> bytes:
    out = io.BytesIO()
    pictures = [Image.new("RGB", (width, height), (40 * i % 255, 120, 200 - 30 * i)) for i in range(frames)]
    for index, picture in enumerate(pictures):
        for x in range(0, width, 7):
            picture.putpixel((x, (x * 3 + index * 11) % height), (255, 255, 255))
    if frames > 1:
        pictures[0].save(out, format=fmt, save_all=True, append_images=pictures[1:], duration=100, loop=0)
    else:
        pictures[0].save(out, format=fmt)
    return out.getvalue()


async def register(homeserver: str, name: str) -> AsyncClient:
    client = AsyncClient(homeserver)
    response = await client.register(f"{name}-{secrets.token_hex(4)}", "media-test-password")
    if not isinstance(response, RegisterResponse):
        raise RuntimeError(f"register {name}: {response}")
    return client


async def upload(homeserver: str) -> dict:
    alice = await register(homeserver, "alice")
    bob = await register(homeserver, "bob")
    uploads, failures = [], []
    for name, content_type, fmt, width, height, frames in IMAGES:
        data = make_image(fmt, width, height, frames)
        response, _ = await alice.upload(io.BytesIO(data), content_type=content_type, filename=name, filesize=len(data))
        if not isinstance(response, UploadResponse):
            failures.append(f"upload {name}: {response}")
            continue
        uploads.append({"name": name, "mxc": response.content_uri, "sha256": hashlib.sha256(data).hexdigest(),
                        "content_type": content_type, "width": width, "height": height, "frames": frames})
    state = {"bob_user": bob.user_id, "bob_token": bob.access_token, "bob_device": bob.device_id, "uploads": uploads}
    await alice.close()
    await bob.close()
    return {"ok": not failures, "state": state, "failures": failures}


async def fetch(homeserver: str, state: dict) -> dict:
    bob = AsyncClient(homeserver, state["bob_user"], device_id=state["bob_device"])
    bob.access_token = state["bob_token"]
    results, failures = {}, []
    for item in state["uploads"]:
        name = item["name"]
        result = results.setdefault(name, {})
        downloaded = await bob.download(mxc=item["mxc"])
        if not isinstance(downloaded, DownloadResponse):
            failures.append(f"download {name}: {downloaded}")
            continue
        result["same_bytes"] = hashlib.sha256(downloaded.body).hexdigest() == item["sha256"]
        result["content_type"] = downloaded.content_type
        server, media_id = item["mxc"][len("mxc://"):].split("/", 1)
        for label, width, height, method in [("crop96", 96, 96, ResizingMethod.crop), ("scale320", 320, 240, ResizingMethod.scale)]:
            thumb = await bob.thumbnail(server, media_id, width, height, method=method)
            if not isinstance(thumb, ThumbnailResponse):
                failures.append(f"thumbnail {label} of {name}: {thumb}")
                continue
            picture = Image.open(io.BytesIO(thumb.body))
            result[label] = {"width": picture.width, "height": picture.height, "content_type": thumb.content_type}
    await bob.close()
    return {"ok": not failures, "results": results, "failures": failures}


def main() -> None:
    mode, homeserver = sys.argv[1], sys.argv[2]
    if mode == "upload":
        result = asyncio.run(upload(homeserver))
    else:
        result = asyncio.run(fetch(homeserver, json.loads(sys.argv[3])))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
