"""Queries that shape the gallery's pages, each in a fixed number of queries whatever the size
of an album or of the archive."""

from news.models import Image


def with_covers(albums):
    """``albums`` (from ``Album.objects.listing()``) as a list, each given its first photo for
    the albums without a chosen cover (Album.cover_image): one query, or none when every album
    has its cover."""
    albums = list(albums)
    wanted = {
        album.first_image_id
        for album in albums
        if album.first_image_id and not (album.cover and album.cover.has_file)
    }
    images = Image.objects.in_bulk(wanted) if wanted else {}
    for album in albums:
        album.first_image = images.get(album.first_image_id)
    return albums


def photo_and_neighbours(album, number):
    """(previous, photo, next) of the photos readers see in ``album``, ``photo`` being the
    ``number``-th (from 1), each None where there is none: one query of at most three rows."""
    if number < 1:
        return None, None, None
    start = max(number - 2, 0)
    rows = list(album.photos.shown().select_related("image")[start : number + 1])
    offset = number - 1 - start  # where the asked photo is in rows
    photo = rows[offset] if offset < len(rows) else None
    previous = rows[offset - 1] if offset > 0 else None
    following = rows[offset + 1] if offset + 1 < len(rows) else None
    return previous, photo, following
