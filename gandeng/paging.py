"""What the pager macro asks of a page of results, for the pages assembled by hand (not by db.paginate)."""


class Pager:
    """Mixin for a dataclass with `page`, `per_page` and `total`: the pager macro's page numbers."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
