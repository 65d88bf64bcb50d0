"""Exceptions with a one-line reason that ends up in the URL state table."""


class QuarantineError(ValueError):
    """A page that will never become an article as it is (not retried)."""

    kind = "quarantined"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAnArticle(QuarantineError):
    """The page has no article body, title or other required part."""


class ParseError(QuarantineError):
    """The page looked like an article but could not be read."""


class PageTooLarge(ParseError):
    """The page is over the size limit; it is refused before parsing."""


class PageTooDeep(ParseError):
    """The markup nests deeper than the HTML parser keeps (it would silently cut the rest)."""


class BinaryPage(ParseError):
    """The content is not text (an image, an archive, random bytes)."""
