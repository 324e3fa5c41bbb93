"""A portal's way into its 1C: the OData client, the print client and the profile together."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .odata import DEFAULT_TIMEOUT, ODataClient
from .print_client import PrintClient
from .profiles import DEFAULT_PRICE_TYPE, ProfileSpec, spec_for


@dataclass
class Connector:
    odata: ODataClient
    printer: PrintClient
    spec: ProfileSpec
    price_type: str = DEFAULT_PRICE_TYPE
    _lookups: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def open(
        cls,
        *,
        base_url: str,
        username: str,
        password: str,
        profile: str,
        print_root: str = "docs1c",
        price_type: str = "",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> "Connector":
        spec = spec_for(profile)
        return cls(
            odata=ODataClient(
                base_url, username, password, timeout=timeout, warmup_set=spec.currencies
            ),
            printer=PrintClient(base_url, username, password, root=print_root, timeout=timeout),
            spec=spec,
            price_type=price_type or DEFAULT_PRICE_TYPE,
        )

    @property
    def request_count(self) -> int:
        return self.odata.request_count + self.printer.request_count

    def once(self, key: str, load: Callable[[], Any]) -> Any:
        """`load()` the first time `key` is asked for, the remembered value after that.

        For small reference lookups (the RUB currency, VAT rate refs, the price type) that
        several operations of one run need: a connector lives for one pipeline run, sync or
        poll, so re-reading them from 1C per operation would only add requests.
        """
        if key not in self._lookups:
            self._lookups[key] = load()
        return self._lookups[key]
