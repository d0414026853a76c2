"""stepgrad's neural-network library, built from :class:`autograd.Value` (see its own issue)."""

__all__: list[str] = []
